package org.ncguard.engine.backprop;

import static org.ncguard.engine.OnnxAttributes.attr;
import static org.ncguard.engine.OnnxAttributes.ints;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ncguard.NcguardException;
import org.ncguard.engine.OnnxGraph;
import org.ncguard.onnx.Onnx.NodeProto;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The backward rule of each supported op: given the gradient {@code g} of a node's first output, the nodes that give
 * the gradients of its inputs that depend on the model's input. Weights get no gradient: only the input's is wanted.
 */
final class BackwardRules {

    /** The (possibly rewritten) forward node and the gradient contribution for each of its differentiable inputs. */
    record Step(NodeProto forward, Map<String, String> inputGradients) {}

    /** Below this many input channels a convolution's gradient stays a ConvTranspose (see convBackward). */
    private static final long MIN_CHANNELS_FOR_CONV = 8;

    private BackwardRules() {}

    static Step apply(NodeProto node, String g, Set<String> fromInput, GradientWriter w) throws NcguardException {
        String x = node.getInput(0);
        String y = node.getOutput(0);
        Map<String, String> grads = new LinkedHashMap<>();
        switch (node.getOpType()) {
            case "Identity", "Dropout" -> grads.put(x, g);
            case "Cast" -> {
                if (OnnxGraph.intAttribute(node, "to", 0) != 1) {
                    throw w.unsupported(node, "only casts to float carry a gradient");
                }
                grads.put(x, g);
            }
            // g times the 0/1 mask y > 0: in ONNX Runtime, Greater+Cast+Mul take a third of the time of a Where.
            case "Relu" -> grads.put(x, w.op("Mul", List.of(g,
                    w.op("Cast", List.of(w.op("Greater", List.of(y, w.scalar(0)))), attr("to", 1L)))));
            case "LeakyRelu" -> {
                float alpha = OnnxGraph.floatAttribute(node, "alpha", 0.01f);
                String leak = w.op("Mul", List.of(g, w.scalar(alpha)));
                grads.put(x, w.op("Where", List.of(w.op("Greater", List.of(x, w.scalar(0))), g, leak)));
            }
            // Clip passes the gradient where it left the value unchanged, whatever its bounds.
            case "Clip" -> grads.put(x, w.op("Where", List.of(w.op("Equal", List.of(x, y)), g, w.scalar(0))));
            case "Sigmoid" -> grads.put(x, w.op("Mul", List.of(g,
                    w.op("Mul", List.of(y, w.op("Sub", List.of(w.scalar(1), y)))))));
            case "Tanh" -> grads.put(x, w.op("Mul", List.of(g,
                    w.op("Sub", List.of(w.scalar(1), w.op("Mul", List.of(y, y)))))));
            case "LogSoftmax" -> {
                long[] s = w.shape(y);
                long axis = OnnxGraph.intAttribute(node, "axis", s.length == 2 ? 1 : -1);
                if (s.length != 2 || (axis != 1 && axis != -1)) {
                    throw w.unsupported(node, "only the last axis of a rank-2 tensor");
                }
                // g - softmax(x) * rowsum(g); the row sum as a product with ones keeps to ops of every opset.
                String rowSum = w.op("MatMul", List.of(g, w.tensor(Nd4j.ones(DataType.FLOAT, s[1], 1))));
                grads.put(x, w.op("Sub", List.of(g, w.op("Mul", List.of(w.op("Exp", List.of(y)), rowSum)))));
            }
            case "Flatten", "Reshape", "Squeeze", "Unsqueeze" ->
                    grads.put(x, w.op("Reshape", List.of(g, w.op("Shape", List.of(x)))));
            case "Transpose" -> {
                long[] perm = OnnxGraph.intsAttribute(node, "perm", null);
                if (perm == null) {
                    throw w.unsupported(node, "a Transpose without perm");
                }
                long[] inverse = new long[perm.length];
                for (int i = 0; i < perm.length; i++) {
                    inverse[(int) perm[i]] = i;
                }
                grads.put(x, w.op("Transpose", List.of(g), ints("perm", inverse)));
            }
            case "Conv" -> grads.put(x, convBackward(node, g, w));
            case "MaxPool" -> {
                return maxPool(node, g, w);
            }
            case "AveragePool" -> grads.put(x, averagePool(node, g, w));
            case "GlobalAveragePool" -> {
                long[] s = w.shape(x);
                long area = Arrays.stream(s, 2, s.length).reduce(1, (a, b) -> a * b);
                String spread = w.op("Expand", List.of(g, w.op("Shape", List.of(x))));
                grads.put(x, w.op("Mul", List.of(spread, w.scalar(1f / area))));
            }
            case "Gemm" -> {
                requireConstant(node, 1, w);
                if (OnnxGraph.intAttribute(node, "transA", 0) != 0) {
                    throw w.unsupported(node, "transA=1");
                }
                long transB = OnnxGraph.intAttribute(node, "transB", 0);
                float alpha = OnnxGraph.floatAttribute(node, "alpha", 1f);
                grads.put(x, w.op("Gemm", List.of(g, node.getInput(1)), attr("alpha", alpha), attr("transB", 1 - transB)));
            }
            case "MatMul" -> {
                INDArray b = requireConstant(node, 1, w);
                if (b.rank() != 2) {
                    throw w.unsupported(node, "weights of rank " + b.rank());
                }
                grads.put(x, w.op("MatMul", List.of(g, w.tensor(b.transpose().dup('c')))));
            }
            case "BatchNormalization" -> {
                INDArray scale = requireConstant(node, 1, w).castTo(DataType.FLOAT);
                INDArray variance = requireConstant(node, 4, w).castTo(DataType.FLOAT);
                float epsilon = OnnxGraph.floatAttribute(node, "epsilon", 1e-5f);
                INDArray factor = scale.div(Transforms.sqrt(variance.add(epsilon), false));
                long[] s = w.shape(x);
                long[] broadcast = new long[s.length - 1];
                Arrays.fill(broadcast, 1);
                broadcast[0] = factor.length();
                grads.put(x, w.op("Mul", List.of(g, w.tensor(factor.reshape(broadcast)))));
            }
            case "Pad" -> grads.put(x, pad(node, g, w));
            case "Add", "Sub", "Mul", "Div" -> arithmetic(node, g, fromInput, w, grads);
            case "Concat" -> {
                long axis = OnnxGraph.intAttribute(node, "axis", 0);
                int rank = w.shape(y).length;
                long a = axis < 0 ? axis + rank : axis;
                long offset = 0;
                for (String in : node.getInputList()) {
                    long size = w.shape(in)[(int) a];
                    if (fromInput.contains(in)) {
                        grads.put(in, w.op("Slice", List.of(g, w.int64s(offset), w.int64s(offset + size), w.int64s(a))));
                    }
                    offset += size;
                }
            }
            default -> throw w.unsupported(node, "op " + node.getOpType() + " has no backward rule");
        }
        grads.keySet().retainAll(fromInput);
        return new Step(node, grads);
    }

    private static void arithmetic(NodeProto node, String g, Set<String> fromInput, GradientWriter w,
            Map<String, String> grads) throws NcguardException {
        String a = node.getInput(0);
        String b = node.getInput(1);
        long[] out = w.shape(node.getOutput(0));
        for (String in : List.of(a, b)) {
            if (fromInput.contains(in) && !Arrays.equals(w.shape(in), out)) {
                throw w.unsupported(node, "'" + in + "' is broadcast; only a constant operand may be");
            }
        }
        boolean first = fromInput.contains(a);
        boolean second = fromInput.contains(b);
        switch (node.getOpType()) {
            case "Add" -> {
                grads.put(a, g);
                grads.put(b, g);
            }
            case "Sub" -> {
                grads.put(a, g);
                if (second) {
                    grads.put(b, w.op("Neg", List.of(g)));
                }
            }
            case "Mul" -> {
                if (first) {
                    grads.put(a, w.op("Mul", List.of(g, b)));
                }
                if (second) {
                    grads.put(b, w.op("Mul", List.of(g, a)));
                }
            }
            default -> {
                if (second) {
                    throw w.unsupported(node, "a divisor that depends on the input");
                }
                grads.put(a, w.op("Div", List.of(g, b)));
            }
        }
        if (first && second && a.equals(b)) {
            throw w.unsupported(node, "the same tensor on both sides");
        }
    }

    /** A constant-mode Pad only added values around x: its gradient is g cut back to x's extent. */
    private static String pad(NodeProto node, String g, GradientWriter w) throws NcguardException {
        if (!OnnxGraph.stringAttribute(node, "mode", "constant").equals("constant")) {
            throw w.unsupported(node, "pad mode " + OnnxGraph.stringAttribute(node, "mode", ""));
        }
        long[] pads = OnnxGraph.intsAttribute(node, "pads", null);
        if (pads == null) {
            String amounts = node.getInputCount() > 1 ? node.getInput(1) : "";
            pads = w.constant(amounts).map(INDArray::toLongVector).or(() -> w.integers(amounts))
                    .orElseThrow(() -> w.unsupported(node, "its pad amounts are unknown"));
        }
        long[] in = w.shape(node.getInput(0));
        boolean batchPadded = pads.length != 2 * in.length || pads[0] != 0 || pads[in.length] != 0;
        if (batchPadded || Arrays.stream(pads).anyMatch(p -> p < 0)) {
            throw w.unsupported(node, "pads " + Arrays.toString(pads) + " (only non-negative, none on the batch axis)");
        }
        int rank = in.length - 1;
        long[] starts = new long[rank];
        long[] ends = new long[rank];
        long[] axes = new long[rank];
        for (int i = 0; i < rank; i++) {
            axes[i] = i + 1;
            starts[i] = pads[i + 1];
            ends[i] = pads[i + 1] + in[i + 1];
        }
        return w.op("Slice", List.of(g, w.int64s(starts), w.int64s(ends), w.int64s(axes)));
    }

    private static INDArray requireConstant(NodeProto node, int index, GradientWriter w) throws NcguardException {
        if (node.getInputCount() <= index || node.getInput(index).isEmpty()) {
            throw w.unsupported(node, "input " + index + " is missing");
        }
        Optional<INDArray> value = w.constant(node.getInput(index));
        return value.orElseThrow(() -> w.unsupported(node, "'" + node.getInput(index) + "' is computed, not stored"));
    }

    /** 2-D window of a node: kernel, strides, dilations and pads (begin h, begin w, end h, end w) made explicit. */
    private record Window(long[] kernel, long[] strides, long[] dilations, long[] pads) {

        static Window of(NodeProto node, long[] kernel, long[] in, GradientWriter w) throws NcguardException {
            if (kernel.length != 2) {
                throw w.unsupported(node, kernel.length + "-D windows");
            }
            long[] strides = OnnxGraph.intsAttribute(node, "strides", new long[] {1, 1});
            long[] dilations = OnnxGraph.intsAttribute(node, "dilations", new long[] {1, 1});
            if (OnnxGraph.intAttribute(node, "ceil_mode", 0) != 0) {
                throw w.unsupported(node, "ceil_mode=1");
            }
            long[] pads = OnnxGraph.windowPads(node, in, kernel, strides, dilations);
            return new Window(kernel, strides, dilations, pads);
        }

        /** What ConvTranspose must add at the end so its output has exactly the forward input's size. */
        long[] outputPadding(long[] in, long[] out, NodeProto node, GradientWriter w) throws NcguardException {
            long[] extra = new long[2];
            for (int axis = 0; axis < 2; axis++) {
                long produced = strides[axis] * (out[2 + axis] - 1) + dilations[axis] * (kernel[axis] - 1) + 1
                        - pads[axis] - pads[axis + 2];
                extra[axis] = in[2 + axis] - produced;
                if (extra[axis] < 0 || extra[axis] >= Math.max(strides[axis], dilations[axis])) {
                    throw w.unsupported(node, "its window does not map back onto the input size");
                }
            }
            return extra;
        }
    }

    /**
     * The input gradient of a convolution is the transposed convolution of g with the same weights. For the common
     * stride-1 case it is also a plain convolution of g, padded by kernel-1-pad, with the weights flipped in space and
     * in/out swapped, which ONNX Runtime runs with its fast convolution kernels (a quarter less time for the whole
     * backward pass of the 6-conv signs model), except when the result has very few channels (a grey or colour
     * input), where ConvTranspose was as fast or faster.
     */
    private static String convBackward(NodeProto node, String g, GradientWriter w) throws NcguardException {
        INDArray weights = requireConstant(node, 1, w);
        long[] in = w.shape(node.getInput(0));
        long[] out = w.shape(node.getOutput(0));
        long[] kernel = {weights.size(2), weights.size(3)};
        Window win = Window.of(node, kernel, in, w);
        long group = OnnxGraph.intAttribute(node, "group", 1);
        boolean plain = group == 1 && in[1] >= MIN_CHANNELS_FOR_CONV
                && Arrays.stream(win.strides).allMatch(v -> v == 1) && Arrays.stream(win.dilations).allMatch(v -> v == 1)
                && win.pads[0] < kernel[0] && win.pads[2] < kernel[0] && win.pads[1] < kernel[1] && win.pads[3] < kernel[1];
        if (plain) {
            INDArray flipped = flipped(weights.castTo(DataType.FLOAT));
            long[] pads = {kernel[0] - 1 - win.pads[0], kernel[1] - 1 - win.pads[1],
                    kernel[0] - 1 - win.pads[2], kernel[1] - 1 - win.pads[3]};
            return w.op("Conv", List.of(g, w.tensor(flipped)), ints("kernel_shape", kernel), ints("pads", pads));
        }
        return w.op("ConvTranspose", List.of(g, node.getInput(1)),
                ints("kernel_shape", kernel), ints("strides", win.strides), ints("dilations", win.dilations),
                ints("pads", win.pads), ints("output_padding", win.outputPadding(in, out, node, w)),
                attr("group", group));
    }

    /** Weights [O, I, kh, kw] as [I, O, kh, kw], each kernel turned by 180 degrees. */
    private static INDArray flipped(INDArray weights) {
        int o = (int) weights.size(0);
        int i = (int) weights.size(1);
        int kh = (int) weights.size(2);
        int kw = (int) weights.size(3);
        float[] w = weights.dup('c').data().asFloat();
        float[] f = new float[w.length];
        for (int a = 0; a < o; a++) {
            for (int b = 0; b < i; b++) {
                for (int y = 0; y < kh; y++) {
                    for (int x = 0; x < kw; x++) {
                        f[((b * o + a) * kh + (kh - 1 - y)) * kw + (kw - 1 - x)] = w[((a * i + b) * kh + y) * kw + x];
                    }
                }
            }
        }
        return Nd4j.create(f, new long[] {i, o, kh, kw}, 'c');
    }

    /**
     * MaxPool also returns where each maximum came from; MaxUnpool puts the gradient back there. MaxUnpool writes
     * rather than adds, so overlapping windows (stride below the kernel, as in ResNet stems) are split into groups
     * of outputs every ceil(kernel/stride) rows and columns, whose windows cannot overlap, and the groups summed.
     */
    private static Step maxPool(NodeProto node, String g, GradientWriter w) throws NcguardException {
        long[] kernel = OnnxGraph.intsAttribute(node, "kernel_shape", new long[0]);
        long[] in = w.shape(node.getInput(0));
        long[] out = w.shape(node.getOutput(0));
        Window win = Window.of(node, kernel, in, w);
        if (Arrays.stream(win.dilations).anyMatch(d -> d != 1) || OnnxGraph.intAttribute(node, "storage_order", 0) != 0) {
            throw w.unsupported(node, "dilated or column-major pooling");
        }
        NodeProto forward = node;
        String indices;
        if (node.getOutputCount() > 1 && !node.getOutput(1).isEmpty()) {
            indices = node.getOutput(1);
        } else {
            indices = w.fresh("maxpool.indices");
            forward = node.toBuilder().clearOutput().addOutput(node.getOutput(0)).addOutput(indices).build();
        }
        String inputShape = w.op("Shape", List.of(node.getInput(0)));
        long rowStep = ceilDiv(kernel[0], win.strides[0]);
        long columnStep = ceilDiv(kernel[1], win.strides[1]);
        List<String> parts = new ArrayList<>();
        for (long row = 0; row < Math.min(rowStep, out[2]); row++) {
            for (long column = 0; column < Math.min(columnStep, out[3]); column++) {
                String groupGrad = g;
                String groupIndices = indices;
                if (rowStep > 1 || columnStep > 1) {
                    String starts = w.int64s(row, column);
                    String ends = w.int64s(Long.MAX_VALUE, Long.MAX_VALUE);
                    String axes = w.int64s(2, 3);
                    String steps = w.int64s(rowStep, columnStep);
                    groupGrad = w.op("Slice", List.of(g, starts, ends, axes, steps));
                    groupIndices = w.op("Slice", List.of(indices, starts, ends, axes, steps));
                }
                parts.add(w.op("MaxUnpool", List.of(groupGrad, groupIndices, inputShape),
                        ints("kernel_shape", kernel), ints("strides", win.strides), ints("pads", win.pads)));
            }
        }
        Map<String, String> grads = new LinkedHashMap<>();
        grads.put(node.getInput(0), w.sum(parts));
        return new Step(forward, grads);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** Each output spread its gradient evenly over its window: a depthwise transposed convolution of 1/area. */
    private static String averagePool(NodeProto node, String g, GradientWriter w) throws NcguardException {
        long[] kernel = OnnxGraph.intsAttribute(node, "kernel_shape", new long[0]);
        long[] in = w.shape(node.getInput(0));
        long[] out = w.shape(node.getOutput(0));
        Window win = Window.of(node, kernel, in, w);
        boolean padded = Arrays.stream(win.pads).anyMatch(p -> p != 0);
        if (padded && OnnxGraph.intAttribute(node, "count_include_pad", 0) == 0) {
            throw w.unsupported(node, "padding left out of the average (count_include_pad=0)");
        }
        long channels = in[1];
        INDArray spread = Nd4j.valueArrayOf(new long[] {channels, 1, kernel[0], kernel[1]},
                1f / (kernel[0] * kernel[1]), DataType.FLOAT);
        return w.op("ConvTranspose", List.of(g, w.tensor(spread)),
                ints("kernel_shape", kernel), ints("strides", win.strides), ints("pads", win.pads),
                ints("output_padding", win.outputPadding(in, out, node, w)), attr("group", channels));
    }
}
