#!/usr/bin/env python3
"""Neural Cleanse (Wang et al., IEEE S&P 2019) with the original code's
schedule, in PyTorch on the CPU, for the MNIST-shaped models of
train_badnets.py.

Usage:
    /usr/bin/python3 neural_cleanse.py (--model-pt model.pt | --onnx model.onnx)
        --out DIR [--samples 1000] [--seed 1] [--target 7]
        [--data /usr/share/datasets/fashion-mnist] [--labels 0,1,...]

--model-pt loads the state dict written by train_badnets.py; --onnx reads the
weights (initializers) of an ONNX export of the same network into the PyTorch
module. Either way the optimisation runs in PyTorch with frozen weights.

For every label, as the original code does:
  * mask_raw (28x28) and pattern_raw (1x28x28) start uniform in [0, 1), mapped
    through atanh((v - 0.5) * (2 - eps)); mask = tanh(mask_raw)/(2 - eps) + 0.5
    and pattern likewise (eps = 1e-7); stamped input
    x' = (1 - mask) * x + mask * pattern;
  * loss = mean cross-entropy(f(x'), label) + cost * sum(|mask|);
    Adam, lr 0.1, betas (0.5, 0.9), a fresh optimiser per label;
  * one step = one pass over the clean samples (a seeded random subset of the
    test set, 1000 by default) in mini-batches of 32, reshuffled every step
    (1000 // 32 = 31 full batches); at most 1000 steps;
  * after each step, in the original order: best mask (smallest mean L1 among
    steps whose mean attack success is >= 0.99), early-stop counter and check
    (stop when the cost has gone both up and down and the best L1 has not
    improved for 25 steps), then the cost: from 0 to 1e-3 after 5 consecutive
    steps >= 0.99 (resetting the up/down counters and flags), then x2 after
    5 consecutive steps >= 0.99, / 2**1.5 after 5 consecutive steps below.
Then the MAD outlier test on the L1 norms of the best masks: MAD = 1.4826 *
median(|L1 - median|), anomaly index = |L1 - median| / MAD, a label is flagged
iff L1 < median and its index > 2.

Writes into DIR: nc.json (per-label results, median, MAD, anomaly indices,
flagged labels, seconds), nc_trace.json (per-step attack success, L1 and cost
for every label) and nc_masks.npz (best mask and pattern for every label),
and prints a table.
"""

import argparse
import json
import math
import os
import sys
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see train_badnets.py

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_badnets import DEFAULT_DATA, NUM_LABELS, MnistNet, load_split  # noqa: E402

EPS = 1e-7
LEARNING_RATE = 0.1
BETAS = (0.5, 0.9)
BATCH_SIZE = 32
MAX_STEPS = 1000
INIT_COST = 1e-3
SUCCESS_THRESHOLD = 0.99
PATIENCE = 5
COST_UP = 2.0
COST_DOWN = 2.0 ** 1.5
EARLY_STOP_PATIENCE = 5 * PATIENCE  # 25
MAD_CONSTANT = 1.4826
ANOMALY_THRESHOLD = 2.0


def load_model(args):
    model = MnistNet()
    if args.model_pt:
        model.load_state_dict(torch.load(args.model_pt, map_location="cpu"))
    else:
        import onnx
        from onnx import numpy_helper
        graph = onnx.load(args.onnx).graph
        inits = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
        state = model.state_dict()
        missing = [k for k in state if k not in inits]
        if missing:
            # Names lost in the export: match the float initializers by
            # shape, in graph order.
            floats = [a for a in inits.values()
                      if a.dtype == np.float32 and a.ndim >= 1]
            loaded = {}
            for k, v in state.items():
                hit = next((i for i, a in enumerate(floats)
                            if a.shape == tuple(v.shape)), None)
                if hit is None:
                    raise SystemExit(f"{args.onnx}: no initializer for {k}")
                loaded[k] = torch.from_numpy(floats.pop(hit).copy())
        else:
            loaded = {k: torch.from_numpy(inits[k].copy()) for k in state}
        model.load_state_dict(loaded)
    model.eval()
    for p in model.parameters():
        p.requires_grad_(False)
    return model


def to_raw(v):
    """Map a value in [0, 1) to the unconstrained (atanh) parametrisation."""
    return torch.atanh((v.double() - 0.5) * (2.0 - EPS)).float()


def from_raw(raw):
    return torch.tanh(raw) / (2.0 - EPS) + 0.5


def reverse_engineer(model, x, label, gen):
    """Run the original schedule for one label.

    Returns a dict with the best mask and pattern, their L1, the attack
    success and L1 of the best step, the number of steps and a per-step trace.
    """
    n = x.shape[0]
    batches = n // BATCH_SIZE
    h, w = x.shape[2], x.shape[3]
    mask_raw = to_raw(torch.rand(h, w, generator=gen)).requires_grad_(True)
    pattern_raw = to_raw(torch.rand(1, h, w, generator=gen)).requires_grad_(True)
    opt = torch.optim.Adam([mask_raw, pattern_raw], lr=LEARNING_RATE,
                           betas=BETAS)
    target = torch.full((BATCH_SIZE,), label, dtype=torch.long)

    cost = 0.0
    cost_set_counter = 0
    cost_up_counter = cost_down_counter = 0
    cost_up_flag = cost_down_flag = False
    best_l1 = math.inf
    best_success = None
    best_step = None
    mask_best = torch.zeros(h, w)
    pattern_best = torch.zeros(1, h, w)
    early_stop_counter = 0
    early_stop_best = math.inf
    trace = {"attackSuccess": [], "l1": [], "ce": [], "cost": []}
    step = 0
    for step in range(1, MAX_STEPS + 1):
        perm = torch.randperm(n, generator=gen)
        acc_sum = torch.zeros(())
        l1_sum = torch.zeros(())
        ce_sum = torch.zeros(())
        for b in range(batches):
            xb = x[perm[b * BATCH_SIZE:(b + 1) * BATCH_SIZE]]
            mask = from_raw(mask_raw)
            pattern = from_raw(pattern_raw)
            stamped = (1 - mask) * xb + mask * pattern
            logits = model(stamped)
            ce = F.cross_entropy(logits, target)
            l1 = mask.abs().sum()
            loss = ce + cost * l1
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            with torch.no_grad():
                acc_sum += (logits.argmax(1) == target).float().mean()
                l1_sum += l1.detach()
                ce_sum += ce.detach()
        success = acc_sum.item() / batches
        mean_l1 = l1_sum.item() / batches
        trace["attackSuccess"].append(round(success, 6))
        trace["l1"].append(round(mean_l1, 4))
        trace["ce"].append(round(ce_sum.item() / batches, 6))
        trace["cost"].append(cost)

        # best mask
        if success >= SUCCESS_THRESHOLD and mean_l1 < best_l1:
            with torch.no_grad():
                mask_best = from_raw(mask_raw).clone()
                pattern_best = from_raw(pattern_raw).clone()
            best_l1 = mean_l1
            best_success = success
            best_step = step

        # early stop (checked before this step's cost change, as the original)
        if best_l1 < math.inf:
            if best_l1 >= early_stop_best:
                early_stop_counter += 1
            else:
                early_stop_counter = 0
        early_stop_best = min(best_l1, early_stop_best)
        if (cost_down_flag and cost_up_flag
                and early_stop_counter >= EARLY_STOP_PATIENCE):
            break

        # cost schedule
        if cost == 0 and success >= SUCCESS_THRESHOLD:
            cost_set_counter += 1
            if cost_set_counter >= PATIENCE:
                cost = INIT_COST
                cost_up_counter = cost_down_counter = 0
                cost_up_flag = cost_down_flag = False
        else:
            cost_set_counter = 0
        if success >= SUCCESS_THRESHOLD:
            cost_up_counter += 1
            cost_down_counter = 0
        else:
            cost_up_counter = 0
            cost_down_counter += 1
        if cost_up_counter >= PATIENCE:
            cost_up_counter = 0
            cost *= COST_UP
            cost_up_flag = True
        elif cost_down_counter >= PATIENCE:
            cost_down_counter = 0
            cost /= COST_DOWN
            cost_down_flag = True

    return {
        "mask": mask_best, "pattern": pattern_best,
        "converged": best_l1 < math.inf,
        "maskL1": float(mask_best.abs().sum()),
        "bestStepL1": best_l1, "attackSuccess": best_success,
        "bestStep": best_step, "steps": step, "finalCost": cost,
        "trace": trace,
    }


def mad_test(l1s):
    l1s = np.asarray(l1s, dtype=np.float64)
    median = float(np.median(l1s))
    mad = MAD_CONSTANT * float(np.median(np.abs(l1s - median)))
    index = np.abs(l1s - median) / mad if mad > 0 else np.zeros_like(l1s)
    flagged = [i for i in range(len(l1s))
               if l1s[i] < median and index[i] > ANOMALY_THRESHOLD]
    return median, mad, index, flagged


def finite_or_none(v):
    return v if v is not None and math.isfinite(v) else None


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--model-pt", help="state dict from train_badnets.py")
    src.add_argument("--onnx", help="ONNX export of the same network")
    p.add_argument("--out", required=True, help="output directory")
    p.add_argument("--samples", type=int, default=1000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--target", type=int, default=None,
                   help="the known target label, only for the report")
    p.add_argument("--labels", default=None,
                   help="comma-separated labels to scan (default: all)")
    p.add_argument("--data", default=DEFAULT_DATA,
                   help="Fashion-MNIST directory (IDX, gzip)")
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args(argv)

    torch.set_num_threads(args.threads)
    os.makedirs(args.out, exist_ok=True)
    model = load_model(args)
    x_test, _ = load_split(args.data, "t10k")
    pick = torch.randperm(len(x_test),
                          generator=torch.Generator().manual_seed(args.seed))
    x = x_test[pick[:args.samples]].contiguous()
    labels = (list(range(NUM_LABELS)) if args.labels is None
              else [int(s) for s in args.labels.split(",")])

    results, traces, arrays = [], {}, {}
    t_total = time.perf_counter()
    for label in labels:
        gen = torch.Generator().manual_seed(args.seed * 1000 + label)
        t0 = time.perf_counter()
        r = reverse_engineer(model, x, label, gen)
        seconds = time.perf_counter() - t0
        results.append({
            "label": label, "l1": r["maskL1"],
            "bestStepL1": finite_or_none(r["bestStepL1"]),
            "attackSuccess": r["attackSuccess"], "converged": r["converged"],
            "steps": r["steps"], "bestStep": r["bestStep"],
            "finalCost": r["finalCost"], "seconds": seconds,
        })
        traces[str(label)] = r["trace"]
        arrays[f"mask_{label}"] = r["mask"].numpy()
        arrays[f"pattern_{label}"] = r["pattern"].numpy()
        print(f"label {label}: steps {r['steps']:4d}  L1 {r['maskL1']:8.2f}  "
              f"success {r['attackSuccess'] if r['attackSuccess'] is not None else float('nan'):.4f}  "
              f"{seconds:7.1f} s", flush=True)
    total = time.perf_counter() - t_total

    # As the original, the L1 of a label that never reached the threshold is
    # that of its (all-zero) initial best mask; report it as not converged.
    median, mad, index, flagged_idx = mad_test([r["l1"] for r in results])
    for r, a in zip(results, index):
        r["anomalyIndex"] = float(a)
    flagged = [results[i]["label"] for i in flagged_idx]
    report = {
        "method": "Neural Cleanse, original schedule (PyTorch, CPU)",
        "model": os.path.abspath(args.model_pt or args.onnx),
        "samples": len(x), "batchSize": BATCH_SIZE,
        "batchesPerStep": len(x) // BATCH_SIZE, "maxSteps": MAX_STEPS,
        "seed": args.seed, "threads": args.threads,
        "torch": torch.__version__,
        "labels": results,
        "median": median, "mad": mad,
        "anomalyIndices": [r["anomalyIndex"] for r in results],
        "flagged": flagged, "infected": bool(flagged),
        "totalSeconds": total,
        "secondsPerLabel": total / len(labels),
    }
    if args.target is not None and args.target in labels:
        report["target"] = args.target
        report["targetAnomalyIndex"] = results[labels.index(args.target)]["anomalyIndex"]
    with open(os.path.join(args.out, "nc.json"), "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    with open(os.path.join(args.out, "nc_trace.json"), "w") as f:
        json.dump(traces, f)
    np.savez_compressed(os.path.join(args.out, "nc_masks.npz"), **arrays)

    print()
    print(f"{'label':>5} {'steps':>5} {'seconds':>8} {'success':>8} "
          f"{'L1':>8} {'index':>6} flagged")
    for r in results:
        s = r["attackSuccess"]
        print(f"{r['label']:5d} {r['steps']:5d} {r['seconds']:8.1f} "
              f"{s if s is not None else float('nan'):8.4f} {r['l1']:8.2f} "
              f"{r['anomalyIndex']:6.2f} {'yes' if r['label'] in flagged else ''}")
    print(f"median L1 {median:.2f}  MAD {mad:.2f}  flagged {flagged}  "
          f"total {total:.1f} s ({total / len(labels):.1f} s per label)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
