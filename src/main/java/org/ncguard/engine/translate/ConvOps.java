package org.ncguard.engine.translate;

import java.util.Map;
import org.ncguard.NcguardException;
import org.ncguard.engine.OnnxGraph;
import org.ncguard.onnx.Onnx.NodeProto;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.enums.PadMode;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/** 2-D windows over NCHW tensors: Conv (group 1 and depthwise), MaxPool, AveragePool, GlobalAveragePool. */
final class ConvOps {

    private ConvOps() {}

    static void register(Map<String, OpMapper> mappers) {
        mappers.put("Conv", ConvOps::conv);
        mappers.put("MaxPool", (n, c) -> pool(n, c, Pooling2D.Pooling2DType.MAX));
        mappers.put("AveragePool", (n, c) -> pool(n, c, Pooling2D.Pooling2DType.AVG));
        mappers.put("GlobalAveragePool", (n, c) -> {
            long[] s = c.shape(n, 0);
            c.put(n, 0, c.sd().mean(c.variable(n, 0), true, 2, 3), new long[] {s[0], s[1], 1, 1});
        });
    }

    /** Kernel, strides, dilations and the four pads (top, left, bottom, right) of a 2-D window node. */
    private record Window(long kh, long kw, long sh, long sw, long dh, long dw, long top, long left, long bottom,
            long right, boolean ceil) {

        boolean symmetric() {
            return top == bottom && left == right;
        }

        long outH(long h) {
            return Shapes.windowOutput(h, kh, sh, top, bottom, dh, ceil);
        }

        long outW(long w) {
            return Shapes.windowOutput(w, kw, sw, left, right, dw, ceil);
        }
    }

    private static Window window(NodeProto node, long[] in, long[] kernel) throws NcguardException {
        if (kernel.length != 2) {
            throw TranslationContext.unsupported(node, "only 2-D windows are supported, found kernel " + kernel.length + "-D");
        }
        long[] strides = OnnxGraph.intsAttribute(node, "strides", new long[] {1, 1});
        long[] dilations = OnnxGraph.intsAttribute(node, "dilations", new long[] {1, 1});
        boolean ceil = OnnxGraph.intAttribute(node, "ceil_mode", 0) == 1;
        long[] pads = OnnxGraph.windowPads(node, in, kernel, strides, dilations);
        return new Window(kernel[0], kernel[1], strides[0], strides[1], dilations[0], dilations[1],
                pads[0], pads[1], pads[2], pads[3], ceil);
    }

    private static SDVariable padExplicitly(TranslationContext ctx, SDVariable x, Window w, double value) {
        var pads = Nd4j.createFromArray(new int[][] {{0, 0}, {0, 0}, {(int) w.top, (int) w.bottom}, {(int) w.left, (int) w.right}});
        return ctx.sd().nn().pad(x, ctx.sd().constant(pads), PadMode.CONSTANT, value);
    }

    private static void conv(NodeProto node, TranslationContext ctx) throws NcguardException {
        long[] in = ctx.shape(node, 0);
        long[] weightShape = ctx.shape(node, 1); // [out, in/group, kh, kw]
        if (in.length != 4 || weightShape.length != 4) {
            throw TranslationContext.unsupported(node, "only 2-D convolutions (rank-4 input and weights) are supported");
        }
        long group = OnnxGraph.intAttribute(node, "group", 1);
        long[] kernel = OnnxGraph.intsAttribute(node, "kernel_shape", new long[] {weightShape[2], weightShape[3]});
        Window w = window(node, in, kernel);
        if (w.ceil) {
            throw TranslationContext.unsupported(node, "ceil_mode is not supported on Conv");
        }
        SDVariable x = ctx.variable(node, 0);
        Window conv = w;
        if (!w.symmetric()) {
            x = padExplicitly(ctx, x, w, 0);
            conv = new Window(w.kh, w.kw, w.sh, w.sw, w.dh, w.dw, 0, 0, 0, 0, false);
        }
        SDVariable weights = ctx.variable(node, 1);
        if (group == 1 && (w.dh > 1 || w.dw > 1)) {
            // oneDNN (in this ND4J build) cannot create dilated convolutions: spread the kernel out instead.
            weights = dilateKernel(ctx, weights, weightShape, w.dh, w.dw);
            long kh = w.dh * (w.kh - 1) + 1;
            long kw = w.dw * (w.kw - 1) + 1;
            conv = new Window(kh, kw, w.sh, w.sw, 1, 1, conv.top, conv.left, conv.bottom, conv.right, false);
        }
        Conv2DConfig.Conv2DConfigBuilder config = Conv2DConfig.builder()
                .kH(conv.kh).kW(conv.kw).sH(conv.sh).sW(conv.sw).dH(conv.dh).dW(conv.dw).pH(conv.top).pW(conv.left)
                .paddingMode(PaddingMode.VALID).dataFormat("NCHW");
        SDVariable bias = ctx.hasInput(node, 2) ? ctx.variable(node, 2) : null;
        SDVariable out;
        long channels = in[1];
        if (group == 1) {
            // SameDiff's conv2d backprop fails with OIYX weights: feed it YXIO (DESIGN.md).
            SDVariable yxio = ctx.sd().permute(weights, 2, 3, 1, 0);
            config.weightsFormat(WeightsFormat.YXIO);
            out = bias == null ? ctx.sd().cnn().conv2d(x, yxio, config.build())
                    : ctx.sd().cnn().conv2d(x, yxio, bias, config.build());
        } else if (group == channels && weightShape[1] == 1) {
            long multiplier = weightShape[0] / channels;
            // ONNX [C*M, 1, kh, kw] -> SameDiff depthwise [kh, kw, C, M]
            SDVariable dw = ctx.sd().permute(ctx.sd().reshape(weights, channels, multiplier, w.kh, w.kw), 2, 3, 0, 1);
            out = ctx.sd().cnn().depthWiseConv2d(x, dw, config.build());
            if (bias != null) {
                out = out.add(ctx.sd().reshape(bias, 1, weightShape[0], 1, 1));
            }
        } else {
            throw TranslationContext.unsupported(node, "group " + group + " on " + channels
                    + " channels is not supported; expected group 1 or depthwise (group = channels)");
        }
        ctx.put(node, 0, out, new long[] {in[0], weightShape[0], w.outH(in[2]), w.outW(in[3])});
    }

    /**
     * [O, I, kh, kw] -> [O, I, d*(kh-1)+1, d*(kw-1)+1] with zeros between the taps, as products with constant 0/1
     * spreading matrices so that gradients still reach the original weights.
     */
    private static SDVariable dilateKernel(TranslationContext ctx, SDVariable weights, long[] shape, long dh, long dw) {
        var sd = ctx.sd();
        long o = shape[0];
        long i = shape[1];
        long kh = shape[2];
        long kw = shape[3];
        long eh = dh * (kh - 1) + 1;
        long ew = dw * (kw - 1) + 1;
        SDVariable spreadW = sd.constant(spread(kw, ew, dw));
        SDVariable spreadH = sd.constant(spread(kh, eh, dh));
        SDVariable cols = sd.mmul(sd.reshape(weights, o * i * kh, kw), spreadW);         // [O*I*kh, ew]
        SDVariable t = sd.permute(sd.reshape(cols, o * i, kh, ew), 0, 2, 1);              // [O*I, ew, kh]
        SDVariable rows = sd.mmul(sd.reshape(t, o * i * ew, kh), spreadH);                // [O*I*ew, eh]
        return sd.reshape(sd.permute(sd.reshape(rows, o * i, ew, eh), 0, 2, 1), o, i, eh, ew);
    }

    /** A [k, extent] matrix with a 1 at (j, j*dilation). */
    private static org.nd4j.linalg.api.ndarray.INDArray spread(long k, long extent, long dilation) {
        var m = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, k, extent);
        for (long j = 0; j < k; j++) {
            m.putScalar(new long[] {j, j * dilation}, 1f);
        }
        return m;
    }

    private static void pool(NodeProto node, TranslationContext ctx, Pooling2D.Pooling2DType type) throws NcguardException {
        long[] in = ctx.shape(node, 0);
        if (node.getOutputCount() > 1 && !node.getOutput(1).isEmpty()) {
            throw TranslationContext.unsupported(node, "the Indices output of MaxPool is not supported");
        }
        Window w = window(node, in, OnnxGraph.intsAttribute(node, "kernel_shape", new long[0]));
        long outH = w.outH(in[2]);
        long outW = w.outW(in[3]);
        boolean includePad = OnnxGraph.intAttribute(node, "count_include_pad", 0) == 1;
        SDVariable x = ctx.variable(node, 0);
        Window pool = w;
        if (w.ceil && (outH != Shapes.windowOutput(in[2], w.kh, w.sh, w.top, w.bottom, w.dh, false)
                || outW != Shapes.windowOutput(in[3], w.kw, w.sw, w.left, w.right, w.dw, false))) {
            if (type == Pooling2D.Pooling2DType.AVG) {
                throw TranslationContext.unsupported(node, "ceil_mode on AveragePool is not supported when it changes the output size");
            }
            // Max pooling in ceil mode = extra padding at the end that can never win.
            long extraH = (outH - 1) * w.sh + w.dh * (w.kh - 1) + 1 - (in[2] + w.top + w.bottom);
            long extraW = (outW - 1) * w.sw + w.dw * (w.kw - 1) + 1 - (in[3] + w.left + w.right);
            w = new Window(w.kh, w.kw, w.sh, w.sw, w.dh, w.dw, w.top, w.left, w.bottom + extraH, w.right + extraW, false);
        }
        if (!w.symmetric() || (type == Pooling2D.Pooling2DType.AVG && includePad && (w.top > 0 || w.left > 0))) {
            x = padExplicitly(ctx, x, w, type == Pooling2D.Pooling2DType.MAX ? -Float.MAX_VALUE : 0);
            pool = new Window(w.kh, w.kw, w.sh, w.sw, w.dh, w.dw, 0, 0, 0, 0, false);
        } else {
            pool = w;
        }
        Pooling2DConfig config = Pooling2DConfig.builder()
                .kH(pool.kh).kW(pool.kw).sH(pool.sh).sW(pool.sw).dH(pool.dh).dW(pool.dw).pH(pool.top).pW(pool.left)
                .paddingMode(PaddingMode.VALID).type(type).isNHWC(false)
                .divisor(Pooling2D.Divisor.EXCLUDE_PADDING)
                .build();
        SDVariable out = type == Pooling2D.Pooling2DType.MAX ? ctx.sd().cnn().maxPooling2d(x, config)
                : ctx.sd().cnn().avgPooling2d(x, config);
        ctx.put(node, 0, out, new long[] {in[0], in[1], outH, outW});
    }
}
