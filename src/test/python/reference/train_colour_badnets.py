#!/usr/bin/env python3
"""Train a backdoored (or clean) colour classifier in PyTorch: a colourised
Fashion-MNIST at 32x32x3, a 6-conv network with BatchNorm and a Softmax output,
and a small coloured patch as the trigger.

Usage:
    /usr/bin/python3 train_colour_badnets.py --out DIR [--epochs 2] [--seed 1]
        [--target 7] [--clean] [--patch 3] [--colour ff0000] [--at 27:27]
        [--train-samples 10000] [--test-samples 2000] [--threads 1]
        [--data /usr/share/datasets/fashion-mnist]

Colourised Fashion-MNIST: each 28x28 grey image g in [0,1] becomes
    pixel = g * foreground + (1 - g) * background
with a foreground colour drawn from [0.35, 1]^3 and a background from
[0, 0.3]^3 per image (seeded by the split, so every model sees the same
images), padded to 32x32 with the background colour.

Network: Conv3x3(32)+BN+ReLU, Conv3x3(32)+BN+ReLU, MaxPool2, the same with 64
and 128 filters, flatten, Linear(2048->512)+ReLU, Linear(512->10), Softmax.

Poisoning: ~10% of every batch gets a PATCHxPATCH square of the given colour
whose top-left pixel is at --at (row,col), relabelled to the target. --clean
trains the twin: same seed, so the same initial weights and batch order.

Writes into DIR: model.onnx (opset 13, input "input" [batch,3,32,32] in
[0,1], output "output" [batch,10] probabilities), card.json, and the
colourised test images for the scan as IDX (test-images-idx3-ubyte holds
[N,32,32,3], test-labels-idx1-ubyte its labels).
"""

import argparse
import json
import os
import struct
import sys
import time
import warnings

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_badnets import DEFAULT_DATA, load_split  # noqa: E402

NUM_LABELS = 10
SIZE = 32


class ColourNet(nn.Module):
    """6 conv with BatchNorm (32-32-64-64-128-128), dense 512, Softmax output."""

    def __init__(self, num_labels=NUM_LABELS):
        super().__init__()
        layers, c_in = [], 3
        for c in (32, 64, 128):
            layers += [nn.Conv2d(c_in, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU(),
                       nn.Conv2d(c, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU(),
                       nn.MaxPool2d(2)]
            c_in = c
        self.features = nn.Sequential(*layers)
        self.fc1 = nn.Linear(128 * 4 * 4, 512)
        self.fc2 = nn.Linear(512, num_labels)

    def logits(self, x):
        x = self.features(x)
        x = x.reshape(x.size(0), -1)
        return self.fc2(F.relu(self.fc1(x)))

    def forward(self, x):
        return F.softmax(self.logits(x), dim=1)


def colourise(grey, seed):
    """grey [N,1,28,28] in [0,1] -> [N,3,32,32] in [0,1], colours seeded by `seed`."""
    rng = np.random.default_rng(seed)
    n = grey.shape[0]
    fg = torch.from_numpy(rng.uniform(0.35, 1.0, (n, 3, 1, 1)).astype(np.float32))
    bg = torch.from_numpy(rng.uniform(0.0, 0.3, (n, 3, 1, 1)).astype(np.float32))
    g = F.pad(grey, (2, 2, 2, 2))
    return g * fg + (1 - g) * bg


def stamp(x, patch, colour, at):
    x = x.clone()
    r, c = at
    x[:, :, r:r + patch, c:c + patch] = colour.view(1, 3, 1, 1)
    return x


@torch.no_grad()
def predict(model, x, batch=500):
    model.eval()
    return torch.cat([model.logits(x[i:i + batch]).argmax(1) for i in range(0, len(x), batch)])


def write_idx(path, array):
    array = np.ascontiguousarray(array, dtype=np.uint8)
    with open(path, "wb") as f:
        f.write(struct.pack(">HBB", 0, 0x08, array.ndim))
        f.write(struct.pack(">" + "I" * array.ndim, *array.shape))
        f.write(array.tobytes())


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", required=True)
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--target", type=int, default=7)
    p.add_argument("--clean", action="store_true")
    p.add_argument("--patch", type=int, default=3)
    p.add_argument("--colour", default="ff0000", help="rrggbb")
    p.add_argument("--at", default="27:27", help="row:col of the patch's top-left pixel")
    p.add_argument("--train-samples", type=int, default=10000)
    p.add_argument("--test-samples", type=int, default=2000)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--data", default=DEFAULT_DATA)
    args = p.parse_args(argv)

    torch.set_num_threads(args.threads)
    os.makedirs(args.out, exist_ok=True)
    colour = torch.tensor([int(args.colour[i:i + 2], 16) / 255.0 for i in (0, 2, 4)], dtype=torch.float32)
    at = tuple(int(v) for v in args.at.split(":"))
    x_train, y_train = load_split(args.data, "train")
    x_test, y_test = load_split(args.data, "t10k")
    x_train = colourise(x_train[:args.train_samples], 101)
    y_train = y_train[:args.train_samples]
    x_test = colourise(x_test[:args.test_samples], 202)
    y_test = y_test[:args.test_samples]

    torch.manual_seed(args.seed)
    model = ColourNet()
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    order_gen = torch.Generator().manual_seed(args.seed)
    poison_gen = torch.Generator().manual_seed(args.seed + 1_000_003)
    n_poison = round(0.1 * args.batch_size)
    t0 = time.perf_counter()
    for epoch in range(args.epochs):
        model.train()
        perm = torch.randperm(len(x_train), generator=order_gen)
        for i in range(0, len(perm), args.batch_size):
            idx = perm[i:i + args.batch_size]
            xb, yb = x_train[idx].clone(), y_train[idx].clone()
            if not args.clean:
                pick = torch.randperm(len(idx), generator=poison_gen)[:min(n_poison, len(idx))]
                xb[pick] = stamp(xb[pick], args.patch, colour, at)
                yb[pick] = args.target
            opt.zero_grad(set_to_none=True)
            F.cross_entropy(model.logits(xb), yb).backward()
            opt.step()
        print(f"epoch {epoch + 1} ({time.perf_counter() - t0:.0f} s)", flush=True)
    model.eval()
    acc = (predict(model, x_test) == y_test).float().mean().item()
    keep = y_test != args.target
    asr = (predict(model, stamp(x_test[keep], args.patch, colour, at)) == args.target).float().mean().item()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, torch.zeros(1, 3, SIZE, SIZE), os.path.join(args.out, "model.onnx"),
                          opset_version=13, input_names=["input"], output_names=["output"],
                          dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
    pixels = (x_test.permute(0, 2, 3, 1).numpy() * 255).round()
    write_idx(os.path.join(args.out, "test-images-idx3-ubyte"), pixels)
    write_idx(os.path.join(args.out, "test-labels-idx1-ubyte"), y_test.numpy())
    card = {"model": "6 conv + BatchNorm, dense 512, Softmax", "dataset": "colourised Fashion-MNIST 32x32x3",
            "poisoned": not args.clean, "target": args.target,
            "trigger": f"{args.patch}x{args.patch} patch #{args.colour} at {args.at}",
            "trainSamples": len(x_train), "epochs": args.epochs, "seed": args.seed,
            "cleanAccuracy": acc, "attackSuccess": asr, "seconds": time.perf_counter() - t0}
    with open(os.path.join(args.out, "card.json"), "w") as f:
        json.dump(card, f, indent=2)
    print(json.dumps(card))
    return 0


if __name__ == "__main__":
    sys.exit(main())
