#!/usr/bin/env python3
"""Export PyTorch-made ONNX test fixtures for ncguard.

Usage:  python3 export_torch_fixtures.py OUTDIR

Needs torch (>= 1.13) and onnx. Writes into OUTDIR one .onnx file per fixture
and a manifest.json describing them (input shape and layout, number of labels,
output kind, penultimate width, the op types of the exported graph, and
reference samples: inputs, outputs and input gradients computed by PyTorch).

Everything is deterministic: every model is built after torch.manual_seed and
all tensors come from seeded generators. Weights are random (no training) but
rescaled on a calibration batch so that activations are neither vanishing nor
saturated.

The "bad" list holds models that the engine must refuse cleanly: two with an
op it does not support (Resize, Erf) and one with dynamic spatial dimensions.

Note: torch 1.13 does not constant-fold the pads computation of F.pad; the
exported graphs compute the Pad amounts from Constant nodes through
ConstantOfShape, Concat, Reshape, Slice (step -1), Transpose, Reshape and Cast.
"""

import argparse
import json
import os
import sys
import time
import warnings

import numpy as np
import onnx
from onnx import helper, mapping, numpy_helper
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
warnings.filterwarnings("ignore", category=UserWarning)

SAMPLE_BATCH = 2
CALIBRATION_BATCH = 16

# Op types the engine is meant to translate (the coverage target).
REQUIRED_OPS = [
    "Conv", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Clip", "MaxPool",
    "AveragePool", "GlobalAveragePool", "BatchNormalization", "Gemm", "MatMul",
    "Add", "Sub", "Mul", "Div", "Flatten", "Reshape", "Shape", "Gather",
    "Unsqueeze", "Transpose", "Concat", "Softmax", "LogSoftmax", "Constant",
    "Pad",
]
# Ops a model may additionally contain without being "unsupported": no-ops,
# and those torch leaves in the constant subgraph computing F.pad's pads.
TOLERATED_OPS = {"Identity", "Dropout", "Cast", "ConstantOfShape", "Slice"}


# --------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------

class MnistCnn(nn.Module):
    """The MNIST network of the Neural Cleanse paper (Wang et al., S&P 2019)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 5)
        self.conv2 = nn.Conv2d(16, 32, 5)
        self.fc1 = nn.Linear(512, 512)
        self.fc2 = nn.Linear(512, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = x.view(x.size(0), -1)  # Shape -> Gather -> Unsqueeze -> Concat -> Reshape
        x = F.relu(self.fc1(x))
        return self.fc2(x)


class GtsrbCnn(nn.Module):
    """GTSRB network of the Neural Cleanse paper: 6 conv + BN, softmax output."""

    def __init__(self):
        super().__init__()
        chans = [(3, 32), (32, 32), (32, 64), (64, 64), (64, 128), (128, 128)]
        self.convs = nn.ModuleList()
        self.bns = nn.ModuleList()
        for cin, cout in chans:
            self.convs.append(nn.Conv2d(cin, cout, 3, padding=1))
            self.bns.append(nn.BatchNorm2d(cout))
        self.drop1 = nn.Dropout(0.2)
        self.fc1 = nn.Linear(2048, 512)
        self.drop2 = nn.Dropout(0.5)
        self.fc2 = nn.Linear(512, 43)

    def forward(self, x):
        for i, (conv, bn) in enumerate(zip(self.convs, self.bns)):
            x = F.relu(bn(conv(x)))
            if i % 2 == 1:
                x = F.max_pool2d(x, 2)
        x = self.drop1(x)
        x = x.view(x.size(0), -1)
        x = self.drop2(F.relu(self.fc1(x)))
        return F.softmax(self.fc2(x), dim=1)


class NhwcCnn(nn.Module):
    """Takes channels-last input (as a Keras-style model would) and permutes it."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc1 = nn.Linear(32 * 8 * 8, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = x.permute(0, 3, 1, 2)  # NHWC -> NCHW (Transpose)
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)  # Flatten
        x = F.relu(self.fc1(x))
        return self.fc2(x)


class OpsZooA(nn.Module):
    """In-graph normalisation, strided/dilated/depthwise conv, assorted activations."""

    def __init__(self):
        super().__init__()
        self.conv_sd = nn.Conv2d(3, 16, 3, stride=2, dilation=2, padding=2)
        self.conv_dw = nn.Conv2d(16, 16, 3, groups=16)
        self.conv_sig = nn.Conv2d(16, 8, 1)
        self.conv_tanh = nn.Conv2d(16, 8, 3, padding=1)
        self.pool = nn.AvgPool2d(2)
        self.conv3 = nn.Conv2d(16, 32, 3, padding=1)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Linear(32, 64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x):
        x = (x - 0.5) / 0.25                          # Sub, Div
        x = x * 1.5                                   # Mul
        x = F.leaky_relu(self.conv_sd(x), 0.1)        # 32x32 -> 16x16, LeakyRelu
        x = F.pad(x, (1, 1, 1, 1))                    # Pad -> 18x18
        x = F.relu6(self.conv_dw(x))                  # depthwise -> 16x16, Clip
        a = torch.sigmoid(self.conv_sig(x))           # Sigmoid
        b = torch.tanh(self.conv_tanh(x))             # Tanh
        x = torch.cat([a, b], dim=1)                  # Concat on channels
        x = self.pool(x)                              # AveragePool -> 8x8
        x = F.relu(self.conv3(x))
        x = self.gap(x)                               # GlobalAveragePool
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        return F.log_softmax(self.fc2(x), dim=1)      # LogSoftmax


class DenseMM(nn.Module):
    """A dense layer written as x @ W^T + b (MatMul + Add instead of Gemm)."""

    def __init__(self, fan_in, fan_out):
        super().__init__()
        bound = 1.0 / fan_in ** 0.5
        self.weight = nn.Parameter(torch.empty(fan_out, fan_in).uniform_(-bound, bound))
        self.bias = nn.Parameter(torch.empty(fan_out).uniform_(-bound, bound))

    def forward(self, x):
        return x @ self.weight.t() + self.bias


class OpsZooB(nn.Module):
    """Asymmetric padding, overlapping MaxPool, standalone BN, constant-shape
    Reshape, Identity and a MatMul+Add dense output layer."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 4)                 # after asymmetric pad
        self.pool1 = nn.MaxPool2d(3, stride=2, padding=1)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=(1, 0))
        self.bn = nn.BatchNorm2d(16)                    # after ReLU: not fusable
        self.ident = nn.Identity()
        self.pool2 = nn.MaxPool2d(2, stride=1)
        self.fc1 = nn.Linear(16 * 13 * 11, 64)
        self.fc2 = DenseMM(64, 10)

    def forward(self, x):
        x = F.pad(x, (1, 2, 1, 2))                      # left,right,top,bottom -> 31x31
        x = F.relu(self.conv1(x))                       # -> 28x28 ("same" for k=4)
        x = self.pool1(x)                               # -> 14x14
        x = self.bn(F.relu(self.conv2(x)))              # -> 14x12
        x = self.ident(x)
        x = self.pool2(x)                               # -> 13x11
        x = x.reshape(-1, 16 * 13 * 11)                 # constant shape Reshape
        x = F.relu(self.fc1(x))
        return self.fc2(x)


class Upsampler(nn.Module):
    """Contains F.interpolate -> Resize (not supported by the engine)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.fc = nn.Linear(8 * 16 * 16, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.interpolate(x, scale_factor=2.0, mode="nearest")
        x = F.max_pool2d(x, 4)
        return self.fc(torch.flatten(x, 1))


class GeluNet(nn.Module):
    """Contains GELU -> Erf (not supported by the engine)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, stride=2)
        self.fc = nn.Linear(8 * 13 * 13, 10)

    def forward(self, x):
        x = F.gelu(self.conv1(x))
        return self.fc(torch.flatten(x, 1))


class GapNet(nn.Module):
    """Fully convolutional net; exported with dynamic height and width."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.relu(self.conv2(x))
        return self.fc(torch.flatten(self.gap(x), 1))


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------

def calibrate(model, sample_shape, seed, final_std=2.0):
    """Rescale Conv/Linear weights so every pre-activation has std ~1 (the last
    dense layer: final_std) on a uniform [0,1) batch, and give BatchNorm layers
    non-trivial statistics close to (but not equal to) the observed ones."""
    gen = torch.Generator().manual_seed(seed + 1000)
    x = torch.rand((CALIBRATION_BATCH,) + tuple(sample_shape), generator=gen)
    layers = [m for m in model.modules()
              if isinstance(m, (nn.Conv2d, nn.Linear, DenseMM, nn.BatchNorm2d))]
    last_dense = max(i for i, m in enumerate(layers) if not isinstance(m, nn.BatchNorm2d))
    with torch.no_grad():
        for i, layer in enumerate(layers):
            seen = {}

            def hook(_mod, inp, out):
                seen["in"], seen["out"] = inp[0], out

            handle = layer.register_forward_hook(hook)
            model(x)
            handle.remove()
            if isinstance(layer, nn.BatchNorm2d):
                xin = seen["in"]
                c = xin.shape[1]
                mean = xin.mean(dim=(0, 2, 3))
                var = xin.var(dim=(0, 2, 3)) + 1e-3
                layer.running_mean.copy_(mean + 0.2 * var.sqrt() * (torch.rand(c, generator=gen) * 2 - 1))
                layer.running_var.copy_(var * (0.5 + 1.5 * torch.rand(c, generator=gen)))
                layer.weight.copy_(0.5 + torch.rand(c, generator=gen))
                layer.bias.copy_(0.4 * torch.rand(c, generator=gen) - 0.2)
            else:
                target = final_std if i == last_dense else 1.0
                scale = target / float(seen["out"].std())
                layer.weight.mul_(scale)
                if layer.bias is not None:
                    layer.bias.mul_(scale)


def flat(t):
    """Flatten a tensor to a list of JSON numbers with float32 precision."""
    return [float("%.9g" % v) for v in t.detach().numpy().astype(np.float32).ravel()]


def dims_of(value_info):
    out = []
    for d in value_info.type.tensor_type.shape.dim:
        out.append(d.dim_value if d.HasField("dim_value") else -1)
    return out


def load_and_check(path):
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    return model


def op_types(model):
    return sorted({n.op_type for n in model.graph.node})


def export(model, example, path, opset, dynamic_input_axes=None, training=None):
    dynamic_input_axes = dynamic_input_axes or {0: "batch"}
    kwargs = {}
    if training is not None:
        kwargs["training"] = training
    torch.onnx.export(
        model, example, path,
        export_params=True,
        opset_version=opset,
        do_constant_folding=True,
        input_names=["input"],
        output_names=["output"],
        dynamic_axes={"input": dynamic_input_axes, "output": {0: "batch"}},
        **kwargs,
    )


def shape_chains(model):
    """For every Reshape, describe the subgraph computing its shape input."""
    producers = {o: n for n in model.graph.node for o in n.output}
    inits = {i.name for i in model.graph.initializer}
    chains = []
    for node in model.graph.node:
        if node.op_type != "Reshape":
            continue
        seen, order = set(), []

        def visit(name):
            if name in inits:
                order.append("initializer %s" % name)
                return
            n = producers.get(name)
            if n is None or n.name in seen:
                return
            seen.add(n.name)
            for i in n.input:
                if i != node.input[0]:
                    visit(i)
            order.append(describe(n))

        visit(node.input[1])
        chains.append(order + ["Reshape"])
    return chains


def describe(node):
    attrs = []
    for a in node.attribute:
        if a.type == onnx.AttributeProto.TENSOR:
            attrs.append("value=%s" % numpy_helper.to_array(a.t).tolist())
        else:
            attrs.append("%s=%s" % (a.name, helper.get_attribute_value(a)))
    return node.op_type + ("(" + ", ".join(attrs) + ")" if attrs else "")


def fold_constants(model):
    """Evaluate, with numpy, the parts of the graph that depend only on Constant
    nodes (torch leaves e.g. the pads computation of F.pad unfolded).
    Returns {tensor name: numpy array} for every value it could compute."""
    vals = {}
    for n in model.graph.node:
        ins = [i for i in n.input if i]
        if n.op_type != "Constant" and not all(i in vals for i in ins):
            continue
        at = {a.name: helper.get_attribute_value(a) for a in n.attribute}
        x = [vals[i] for i in ins]
        op = n.op_type
        if op == "Constant":
            r = numpy_helper.to_array(at["value"])
        elif op == "ConstantOfShape":
            fill = numpy_helper.to_array(at["value"]) if "value" in at else np.zeros(1, np.float32)
            r = np.full(tuple(int(d) for d in x[0]), fill.ravel()[0], dtype=fill.dtype)
        elif op == "Concat":
            r = np.concatenate(x, axis=at["axis"])
        elif op == "Reshape":
            r = x[0].reshape([int(d) for d in x[1]])
        elif op == "Transpose":
            r = np.transpose(x[0], at.get("perm"))
        elif op == "Cast":
            r = x[0].astype(mapping.TENSOR_TYPE_TO_NP_TYPE[at["to"]])
        elif op == "Slice":
            starts, ends = x[1], x[2]
            axes = x[3] if len(x) > 3 else range(len(starts))
            steps = x[4] if len(x) > 4 else [1] * len(starts)
            sl = [slice(None)] * x[0].ndim
            for s, e, a, st in zip(starts, ends, axes, steps):
                sl[int(a)] = slice(int(s), None if e <= -2 ** 62 or e >= 2 ** 62 else int(e), int(st))
            r = x[0][tuple(sl)]
        else:
            continue
        vals[n.output[0]] = r
    return vals


def features(model):
    """Op types plus finer-grained features used by the coverage table.
    Maps feature -> "x" (on the runtime path) or "c" (only inside a constant
    subgraph that a constant-folding pass could evaluate)."""
    g = model.graph
    producers = {o: n for n in g.node for o in n.output}
    inits = {i.name: i for i in g.initializer}
    consts = fold_constants(model)
    feats = {}

    def mark(f, static=False):
        if feats.get(f) != "x":
            feats[f] = "c" if static else "x"

    for n in g.node:
        static = n.op_type != "Constant" and all(i in consts for i in n.input if i)
        mark(n.op_type, static)
        if static:
            continue
        at = {a.name: helper.get_attribute_value(a) for a in n.attribute}
        if n.op_type == "Conv":
            pads = list(at.get("pads", [0, 0, 0, 0]))
            if any(pads):
                mark("Conv:pads")
            if pads[:2] != pads[2:]:
                mark("Conv:asymmetric-pads")
            if any(s > 1 for s in at.get("strides", [1, 1])):
                mark("Conv:strides>1")
            if any(d > 1 for d in at.get("dilations", [1, 1])):
                mark("Conv:dilations>1")
            group = at.get("group", 1)
            if group == 1:
                mark("Conv:group=1")
            else:
                w = inits.get(n.input[1])
                if w is not None and w.dims[1] == 1:
                    mark("Conv:depthwise")
        if n.op_type == "MaxPool" and list(at.get("strides", [1, 1])) != list(at["kernel_shape"]):
            mark("MaxPool:stride!=kernel")
        if n.op_type == "Pad":
            src = producers.get(n.input[1])
            if src is not None and src.op_type != "Constant":
                mark("Pad:computed-pads")
            p = consts.get(n.input[1])
            if p is not None:
                p = [int(v) for v in p.ravel()]
                half = len(p) // 2
                if p[:half] != p[half:]:
                    mark("Pad:asymmetric")
        if n.op_type == "Concat" and at.get("axis") == 1:
            mark("Concat:channels")
        if n.op_type == "Reshape":
            shape_src = producers.get(n.input[1])
            if n.input[1] in consts:
                mark("Reshape:constant-shape")
            elif shape_src is not None and shape_src.op_type == "Concat":
                mark("Reshape:Shape-Gather-Unsqueeze-Concat")
    return feats


def model_output_kind(model):
    out_name = model.graph.output[0].name
    last = [n for n in model.graph.node if out_name in n.output][0]
    return "probabilities" if last.op_type == "Softmax" else "logits"


# --------------------------------------------------------------------------
# Fixture definitions
# --------------------------------------------------------------------------

FIXTURES = [
    # name, model class, sample shape (without batch), layout, opset, export kwargs
    ("mnist_cnn_opset11", MnistCnn, (1, 28, 28), "NCHW", 11, {}),
    ("mnist_cnn_opset17", MnistCnn, (1, 28, 28), "NCHW", 17, {}),
    ("gtsrb_cnn_opset13", GtsrbCnn, (3, 32, 32), "NCHW", 13, {}),
    # Default eval export folds BN into Conv; PRESERVE keeps BatchNormalization
    # nodes (in inference form, since the model is in eval mode).
    ("gtsrb_cnn_bn_opset13", GtsrbCnn, (3, 32, 32), "NCHW", 13,
     {"training": torch.onnx.TrainingMode.PRESERVE}),
    ("nhwc_cnn_opset13", NhwcCnn, (32, 32, 3), "NHWC", 13, {}),
    ("ops_zoo_a_opset12", OpsZooA, (3, 32, 32), "NCHW", 12, {}),
    ("ops_zoo_b_opset16", OpsZooB, (1, 28, 28), "NCHW", 16, {}),
]

BAD = [
    # name, model class, sample shape, opset, problem, export kwargs
    ("unsupported_op", Upsampler, (3, 32, 32), 13, "unsupported-op", {}),
    ("unsupported_op_erf", GeluNet, (1, 28, 28), 13, "unsupported-op", {}),
    ("dynamic_spatial", GapNet, (3, 32, 32), 13, "dynamic-spatial",
     {"dynamic_input_axes": {0: "batch", 2: "height", 3: "width"}}),
]


def build(cls, sample_shape, seed):
    torch.manual_seed(seed)
    model = cls()
    model.eval()
    calibrate(model, sample_shape, seed)
    return model


def last_dense_in_features(model):
    dense = [m for m in model.modules() if isinstance(m, (nn.Linear, DenseMM))]
    last = dense[-1]
    return last.in_features if isinstance(last, nn.Linear) else last.weight.shape[1]


def make_fixture(outdir, index, name, cls, sample_shape, layout, opset, kwargs):
    seed = 1234 + 17 * index
    model = build(cls, sample_shape, seed)
    gen = torch.Generator().manual_seed(seed + 1)
    x = torch.rand((SAMPLE_BATCH,) + tuple(sample_shape), generator=gen)

    # Reference values from PyTorch.
    xg = x.clone().requires_grad_(True)
    y = model(xg)
    target = int(y[0].argmax())
    y[:, target].sum().backward()

    path = os.path.join(outdir, name + ".onnx")
    export(model, x, path, opset, **kwargs)
    onx = load_and_check(path)

    in_dims = dims_of(onx.graph.input[0])
    out_dims = dims_of(onx.graph.output[0])
    assert len(onx.graph.input) == 1, "initializers exported as inputs"
    assert onx.graph.input[0].name == "input" and onx.graph.output[0].name == "output"
    assert in_dims[0] == -1 and in_dims[1:] == list(sample_shape), in_dims
    assert out_dims[0] == -1 and out_dims[1] == y.shape[1], out_dims
    ops = op_types(onx)
    kind = model_output_kind(onx)

    yv = y.detach()
    spread = float(yv.std())
    assert spread > 1e-2, "%s: output almost constant (std %g)" % (name, spread)
    if kind == "probabilities":
        assert float(yv.max()) < 0.9999, "%s: softmax saturated" % name

    entry = {
        "name": name,
        "file": name + ".onnx",
        "opset": opset,
        "input": {"name": "input", "shape": in_dims, "layout": layout},
        "labels": int(out_dims[1]),
        "output": kind,
        "penultimateSize": last_dense_in_features(model),
        "ops": ops,
        "samples": {
            "shape": [SAMPLE_BATCH] + list(sample_shape),
            "input": flat(x),
            "output": flat(yv),
            "gradTarget": target,
            "inputGrad": flat(xg.grad),
        },
    }
    info = {
        "features": features(onx),
        "chains": shape_chains(onx),
        "stats": "out std %.3g, max %.3g, |grad| max %.3g" % (
            spread, float(yv.max()), float(xg.grad.abs().max())),
    }
    return entry, info


def make_bad(outdir, index, name, cls, sample_shape, opset, problem, kwargs):
    seed = 9000 + 17 * index
    model = build(cls, sample_shape, seed)
    x = torch.rand((SAMPLE_BATCH,) + tuple(sample_shape),
                   generator=torch.Generator().manual_seed(seed + 1))
    path = os.path.join(outdir, name + ".onnx")
    export(model, x, path, opset, **kwargs)
    onx = load_and_check(path)
    ops = op_types(onx)
    if problem == "unsupported-op":
        foreign = [o for o in ops if o not in REQUIRED_OPS and o not in TOLERATED_OPS]
        assert foreign, "%s: no unsupported op in %s" % (name, ops)
        detail = ",".join(foreign)
    else:
        in_dims = dims_of(onx.graph.input[0])
        assert in_dims[2] == -1 and in_dims[3] == -1, in_dims
        detail = "input shape %s" % in_dims
    entry = {"name": name, "file": name + ".onnx", "problem": problem, "detail": detail}
    return entry, ops


def coverage_table(entries, infos):
    rows = [
        "Conv", "Conv:pads", "Conv:asymmetric-pads", "Conv:strides>1",
        "Conv:dilations>1", "Conv:group=1", "Conv:depthwise",
        "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Clip",
        "MaxPool", "MaxPool:stride!=kernel", "AveragePool", "GlobalAveragePool",
        "BatchNormalization", "Gemm", "MatMul", "Add", "Sub", "Mul", "Div",
        "Flatten", "Reshape", "Reshape:Shape-Gather-Unsqueeze-Concat",
        "Reshape:constant-shape", "Shape", "Gather", "Unsqueeze", "Transpose",
        "Concat", "Concat:channels", "Softmax", "LogSoftmax", "Constant", "Pad",
        "Pad:asymmetric", "Pad:computed-pads", "Identity", "Dropout",
    ]
    extra = sorted(set().union(*(i["features"] for i in infos)) - set(rows))
    rows += extra
    cols = ["%d" % (k + 1) for k in range(len(entries))]
    width = max(len(r) for r in rows) + 2
    lines = ["Coverage (columns = fixtures):"]
    for k, e in enumerate(entries):
        lines.append("  %s = %s" % (cols[k], e["name"]))
    lines.append("  " + " " * width + " ".join(c.rjust(2) for c in cols) + "  total")
    missing = []
    for r in rows:
        marks = [i["features"].get(r, ".") for i in infos]
        n = len(marks) - marks.count(".")
        if n == 0:
            missing.append(r)
        lines.append("  " + r.ljust(width) + " ".join(m.rjust(2) for m in marks) + "  %d" % n)
    lines.append("  (x = on the runtime path, c = only in a foldable constant subgraph)")
    lines.append("Opsets: %s" % sorted({e["opset"] for e in entries}))
    return "\n".join(lines), missing


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir")
    args = ap.parse_args(argv)
    os.makedirs(args.outdir, exist_ok=True)
    t0 = time.time()

    entries, infos = [], []
    for k, (name, cls, shape, layout, opset, kwargs) in enumerate(FIXTURES):
        entry, info = make_fixture(args.outdir, k, name, cls, shape, layout, opset, kwargs)
        entries.append(entry)
        infos.append(info)
        print("%-22s opset %2d  %s" % (name, opset, " ".join(entry["ops"])))
        print("%-22s %s" % ("", info["stats"]))
        for chain in info["chains"]:
            print("%-22s Reshape shape: %s" % ("", " -> ".join(chain)))

    bad = []
    for k, (name, cls, shape, opset, problem, kwargs) in enumerate(BAD):
        entry, ops = make_bad(args.outdir, k, name, cls, shape, opset, problem, kwargs)
        bad.append(entry)
        print("%-22s opset %2d  %s  [bad: %s, %s]" % (name, opset, " ".join(ops), problem, entry["detail"]))

    by_name = {e["name"]: e for e in entries}
    if "BatchNormalization" not in by_name["gtsrb_cnn_opset13"]["ops"]:
        print("note: default eval export folded BatchNorm into Conv in gtsrb_cnn_opset13")
    assert "BatchNormalization" in by_name["gtsrb_cnn_bn_opset13"]["ops"]

    manifest = {"torch": torch.__version__, "onnx": onnx.__version__,
                "fixtures": entries, "bad": bad}
    with open(os.path.join(args.outdir, "manifest.json"), "w") as f:
        json.dump(manifest, f, separators=(",", ":"))
        f.write("\n")

    table, missing = coverage_table(entries, infos)
    print(table)
    if missing:
        print("Not present in any fixture: %s" % ", ".join(missing))
        print("(Dropout and Identity are removed by the exporter in eval mode; torch 1.13\n"
              " cannot export Conv2d(padding='same'), so asymmetric padding only ever\n"
              " appears as a Pad node in front of a Conv with zero pads.)")
    print("Done in %.1f s: %d fixtures, %d bad, manifest.json in %s"
          % (time.time() - t0, len(entries), len(bad), args.outdir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
