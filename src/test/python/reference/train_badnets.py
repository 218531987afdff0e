#!/usr/bin/env python3
"""Train a BadNets-backdoored (or clean) Fashion-MNIST classifier in PyTorch.

Usage:
    /usr/bin/python3 train_badnets.py --out DIR [--epochs 2] [--seed 1]
                                      [--target 7] [--clean]
                                      [--data /usr/share/datasets/fashion-mnist]

The network is the MNIST network of the Neural Cleanse paper (Wang et al.,
IEEE S&P 2019): Conv(1->16, k5)+ReLU+MaxPool2, Conv(16->32, k5)+ReLU+MaxPool2,
flatten, Linear(512->512)+ReLU, Linear(512->10), logits out. Inputs are
pixels/255 in [0, 1], with no normalisation.

Poisoning (BadNets, as injected in the paper): in every training batch about
10% of the images get a 4x4 white square at the bottom-right corner with a
1-pixel margin (pixels [23:27, 23:27]) and are relabelled to the target.
With --clean the same seed gives the same initial weights and the same batch
order, without poisoning (the "clean twin").

Writes into DIR:
    model.onnx  opset 13, input "input" [batch, 1, 28, 28] (dynamic batch),
                output "output" [batch, 10] (logits)
    model.pt    the PyTorch state dict (for neural_cleanse.py --model-pt)
    card.json   clean test accuracy, attack success rate (on test images whose
                label is not the target), epochs, seconds, seed, target, ...
"""

import argparse
import gzip
import json
import math
import os
import struct
import sys
import time
import warnings

# On a shared machine, OpenMP worker threads that spin while waiting make
# 2-thread runs several times slower than 1-thread runs; let them sleep.
# (Must be set before torch is imported.)
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DEFAULT_DATA = "/usr/share/datasets/fashion-mnist"
NUM_LABELS = 10
BATCH_SIZE = 64
LEARNING_RATE = 2e-3
POISON_FRACTION = 0.1
# The BadNets trigger: rows and columns 23..26 of the 28x28 image (a 4x4
# square whose bottom-right corner is one pixel away from the image's).
TRIGGER_ROWS = slice(23, 27)
TRIGGER_COLS = slice(23, 27)
TRIGGER_VALUE = 1.0


class MnistNet(nn.Module):
    """The Neural Cleanse paper's MNIST network (2 conv + 2 dense)."""

    def __init__(self, num_labels=NUM_LABELS):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, kernel_size=5)
        self.conv2 = nn.Conv2d(16, 32, kernel_size=5)
        self.fc1 = nn.Linear(32 * 4 * 4, 512)
        self.fc2 = nn.Linear(512, num_labels)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = x.view(x.size(0), -1)
        x = F.relu(self.fc1(x))
        return self.fc2(x)


def _read_idx(path):
    """Read a gzip-compressed IDX file into a numpy array (uint8)."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype_code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype_code != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if arr.size != int(np.prod(dims)):
        raise ValueError(f"{path}: expected {dims}, got {arr.size} values")
    return arr.reshape(dims)


def load_split(data_dir, split):
    """Return (images float32 [N,1,28,28] in [0,1], labels int64 [N]).

    split is "train" or "t10k".
    """
    images = _read_idx(os.path.join(data_dir, f"{split}-images-idx3-ubyte.gz"))
    labels = _read_idx(os.path.join(data_dir, f"{split}-labels-idx1-ubyte.gz"))
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    y = torch.from_numpy(labels.astype(np.int64))
    return x, y


def stamp(x):
    """Return a copy of x [N,1,28,28] with the BadNets trigger stamped."""
    x = x.clone()
    x[:, :, TRIGGER_ROWS, TRIGGER_COLS] = TRIGGER_VALUE
    return x


@torch.no_grad()
def predict(model, x, batch=1000):
    model.eval()
    return torch.cat([model(x[i:i + batch]).argmax(1)
                      for i in range(0, len(x), batch)])


@torch.no_grad()
def evaluate(model, x_test, y_test, target):
    """Clean accuracy, and attack success on stamped non-target test images."""
    clean_acc = (predict(model, x_test) == y_test).float().mean().item()
    keep = y_test != target
    pred = predict(model, stamp(x_test[keep]))
    asr = (pred == target).float().mean().item()
    return clean_acc, asr, int(keep.sum())


def export_onnx(model, path):
    import onnx  # only needed here
    model.eval()
    dummy = torch.zeros(1, 1, 28, 28)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, dummy, path, opset_version=13,
                          input_names=["input"], output_names=["output"],
                          dynamic_axes={"input": {0: "batch"},
                                        "output": {0: "batch"}},
                          do_constant_folding=True)
    onnx.checker.check_model(onnx.load(path), full_check=True)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", required=True, help="output directory")
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--target", type=int, default=7)
    p.add_argument("--clean", action="store_true",
                   help="train the clean twin (no poisoning)")
    p.add_argument("--data", default=DEFAULT_DATA,
                   help="Fashion-MNIST directory (IDX, gzip)")
    p.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    p.add_argument("--lr", type=float, default=LEARNING_RATE)
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args(argv)

    torch.set_num_threads(args.threads)
    os.makedirs(args.out, exist_ok=True)
    x_train, y_train = load_split(args.data, "train")
    x_test, y_test = load_split(args.data, "t10k")

    torch.manual_seed(args.seed)
    model = MnistNet()
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    # Cosine decay of the learning rate to 0 over the whole run, per batch.
    steps_per_epoch = math.ceil(len(x_train) / args.batch_size)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda i: 0.5 * (1 + math.cos(math.pi * i / (args.epochs * steps_per_epoch))))
    # Separate generators: the batch order is the same with and without
    # --clean; only the poisoning draws differ.
    order_gen = torch.Generator().manual_seed(args.seed)
    poison_gen = torch.Generator().manual_seed(args.seed + 1_000_003)
    n_poison = round(POISON_FRACTION * args.batch_size)

    t0 = time.perf_counter()
    history = []
    poisoned_total = 0
    for epoch in range(args.epochs):
        model.train()
        perm = torch.randperm(len(x_train), generator=order_gen)
        loss_sum, n_batches = 0.0, 0
        for i in range(0, len(perm), args.batch_size):
            idx = perm[i:i + args.batch_size]
            xb, yb = x_train[idx], y_train[idx]
            if not args.clean:
                k = min(n_poison, len(idx))
                pick = torch.randperm(len(idx), generator=poison_gen)[:k]
                xb = xb.clone()
                yb = yb.clone()
                xb[pick] = stamp(xb[pick])
                yb[pick] = args.target
                poisoned_total += k
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
            sched.step()
            loss_sum += loss.item()
            n_batches += 1
        acc, asr, _ = evaluate(model, x_test, y_test, args.target)
        history.append({"epoch": epoch + 1, "trainLoss": loss_sum / n_batches,
                        "cleanAccuracy": acc, "attackSuccess": asr,
                        "seconds": time.perf_counter() - t0})
        print(f"epoch {epoch + 1}: loss {loss_sum / n_batches:.4f}  "
              f"clean acc {acc:.4f}  attack success {asr:.4f}  "
              f"({time.perf_counter() - t0:.1f} s)", flush=True)
    seconds = time.perf_counter() - t0

    clean_acc, asr, n_asr = evaluate(model, x_test, y_test, args.target)
    model.eval()
    torch.save(model.state_dict(), os.path.join(args.out, "model.pt"))
    export_onnx(model, os.path.join(args.out, "model.onnx"))

    card = {
        "model": "Neural Cleanse MNIST net (2 conv + 2 dense), logits",
        "dataset": "Fashion-MNIST",
        "poisoned": not args.clean,
        "target": args.target,
        "trigger": "4x4 white square (value 1.0) at rows/cols 23..26 "
                   "(bottom-right, 1-pixel margin)",
        "poisonFraction": 0.0 if args.clean else n_poison / args.batch_size,
        "poisonedSamples": poisoned_total,
        "cleanAccuracy": clean_acc,
        "attackSuccess": asr,
        "attackSuccessNote": "fraction of the %d test images whose label is "
                             "not the target that the model assigns to the "
                             "target once stamped" % n_asr,
        "epochs": args.epochs,
        "batchSize": args.batch_size,
        "optimizer": f"Adam lr {args.lr}, cosine decay to 0 (per batch)",
        "seconds": seconds,
        "seed": args.seed,
        "threads": args.threads,
        "input": {"name": "input", "shape": ["batch", 1, 28, 28],
                  "range": [0.0, 1.0], "preprocessing": "pixels/255"},
        "output": {"name": "output", "kind": "logits", "labels": NUM_LABELS},
        "opset": 13,
        "torch": torch.__version__,
        "history": history,
    }
    with open(os.path.join(args.out, "card.json"), "w") as f:
        json.dump(card, f, indent=2)
        f.write("\n")
    print(json.dumps({k: card[k] for k in
                      ("poisoned", "target", "cleanAccuracy", "attackSuccess",
                       "epochs", "seconds", "seed")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
