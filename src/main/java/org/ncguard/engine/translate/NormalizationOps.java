package org.ncguard.engine.translate;

import java.util.Map;
import org.ncguard.NcguardException;
import org.ncguard.engine.BatchStatistics;
import org.ncguard.engine.OnnxGraph;
import org.ncguard.onnx.Onnx.NodeProto;
import org.nd4j.autodiff.samediff.SDVariable;

/** BatchNormalization (with running statistics, or the batch's own while training), Softmax and LogSoftmax. */
final class NormalizationOps {

    private NormalizationOps() {}

    static void register(Map<String, OpMapper> mappers) {
        mappers.put("BatchNormalization", NormalizationOps::batchNorm);
        mappers.put("Softmax", (n, c) -> c.put(n, 0, c.sd().nn().softmax(c.variable(n, 0), softmaxAxis(n, c)), c.shape(n, 0)));
        mappers.put("LogSoftmax", NormalizationOps::logSoftmax);
    }

    /**
     * (x - max) - log(sum(exp(x - max))), with reductions that keep their dimension: SameDiff's log_softmax and
     * logSumExp ops both fail in backprop in this ND4J version.
     */
    private static void logSoftmax(NodeProto node, TranslationContext ctx) throws NcguardException {
        int axis = softmaxAxis(node, ctx);
        var sd = ctx.sd();
        SDVariable x = ctx.variable(node, 0);
        SDVariable shifted = x.sub(sd.max(x, true, axis));
        SDVariable logSum = sd.math().log(sd.sum(sd.math().exp(shifted), true, axis));
        ctx.put(node, 0, shifted.sub(logSum), ctx.shape(node, 0));
    }

    private static int softmaxAxis(NodeProto node, TranslationContext ctx) throws NcguardException {
        long[] shape = ctx.shape(node, 0);
        long fallback = ctx.opset() >= 13 ? -1 : 1;
        int axis = Shapes.axis(OnnxGraph.intAttribute(node, "axis", fallback), shape.length);
        // Before opset 13 the input is coerced to 2-D at axis; identical when the axis is the last one.
        if (ctx.opset() < 13 && axis != shape.length - 1) {
            throw TranslationContext.unsupported(node, "Softmax over axis " + axis + " of a rank-" + shape.length
                    + " tensor before opset 13 is not supported; expected the last axis");
        }
        return axis;
    }

    private static void batchNorm(NodeProto node, TranslationContext ctx) throws NcguardException {
        if (OnnxGraph.intAttribute(node, "training_mode", 0) != 0
                || (node.getOutputCount() > 1 && !node.getOutput(1).isEmpty())) {
            throw TranslationContext.unsupported(node, "BatchNormalization in training mode is not supported; export "
                    + "the model in eval() mode");
        }
        long[] in = ctx.shape(node, 0);
        long c = in[1];
        float eps = OnnxGraph.floatAttribute(node, "epsilon", 1e-5f);
        var sd = ctx.sd();
        long[] perChannel = in.length == 4 ? new long[] {1, c, 1, 1} : new long[] {1, c};
        SDVariable x = ctx.variable(node, 0);
        SDVariable scale = sd.reshape(ctx.variable(node, 1), perChannel);
        SDVariable bias = sd.reshape(ctx.variable(node, 2), perChannel);
        SDVariable mean;
        SDVariable variance;
        if (ctx.training()) {
            int[] axes = in.length == 4 ? new int[] {0, 2, 3} : new int[] {0};
            mean = sd.mean(x, true, axes);
            variance = sd.mean(sd.math().square(x.sub(mean)), true, axes);
            long valuesPerImage = in.length == 4 ? in[2] * in[3] : 1;
            ctx.addBatchStatistics(new BatchStatistics(node.getInput(3), node.getInput(4), mean, variance,
                    OnnxGraph.floatAttribute(node, "momentum", 0.9f), valuesPerImage));
        } else {
            mean = sd.reshape(ctx.frozen(node, 3), perChannel);
            variance = sd.reshape(ctx.frozen(node, 4), perChannel);
        }
        SDVariable inverseStd = sd.math().rsqrt(variance.add(eps));
        ctx.put(node, 0, x.sub(mean).mul(inverseStd.mul(scale)).add(bias), in);
    }
}
