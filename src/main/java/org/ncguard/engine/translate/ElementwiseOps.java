package org.ncguard.engine.translate;

import java.util.Map;
import org.ncguard.engine.OnnxGraph;
import org.ncguard.onnx.Onnx.NodeProto;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Activations and broadcasting arithmetic: Relu, LeakyRelu, Sigmoid, Tanh, Clip, Add, Sub, Mul, Div. */
final class ElementwiseOps {

    private ElementwiseOps() {}

    static void register(Map<String, OpMapper> mappers) {
        mappers.put("Relu", (n, c) -> unary(n, c, c.sd().nn().relu(c.variable(n, 0), 0)));
        mappers.put("LeakyRelu", (n, c) ->
                unary(n, c, c.sd().nn().leakyRelu(c.variable(n, 0), OnnxGraph.floatAttribute(n, "alpha", 0.01f))));
        mappers.put("Sigmoid", (n, c) -> unary(n, c, c.sd().nn().sigmoid(c.variable(n, 0))));
        mappers.put("Tanh", (n, c) -> unary(n, c, c.sd().math().tanh(c.variable(n, 0))));
        mappers.put("Clip", ElementwiseOps::clip);
        mappers.put("Add", (n, c) -> binary(n, c, Arithmetic.ADD));
        mappers.put("Sub", (n, c) -> binary(n, c, Arithmetic.SUB));
        mappers.put("Mul", (n, c) -> binary(n, c, Arithmetic.MUL));
        mappers.put("Div", (n, c) -> binary(n, c, Arithmetic.DIV));
    }

    private static void unary(NodeProto node, TranslationContext ctx, SDVariable out) throws org.ncguard.NcguardException {
        ctx.put(node, 0, out, ctx.shape(node, 0));
    }

    private static void clip(NodeProto node, TranslationContext ctx) throws org.ncguard.NcguardException {
        double min;
        double max;
        if (ctx.opset() < 11) {
            min = OnnxGraph.floatAttribute(node, "min", -Float.MAX_VALUE);
            max = OnnxGraph.floatAttribute(node, "max", Float.MAX_VALUE);
        } else {
            min = ctx.hasInput(node, 1) ? ctx.constant(node, 1, "minimum").getDouble(0) : -Float.MAX_VALUE;
            max = ctx.hasInput(node, 2) ? ctx.constant(node, 2, "maximum").getDouble(0) : Float.MAX_VALUE;
        }
        unary(node, ctx, ctx.sd().math().clipByValue(ctx.variable(node, 0), min, max));
    }

    private enum Arithmetic {
        ADD, SUB, MUL, DIV;

        SDVariable apply(SDVariable a, SDVariable b) {
            return switch (this) {
                case ADD -> a.add(b);
                case SUB -> a.sub(b);
                case MUL -> a.mul(b);
                case DIV -> a.div(b);
            };
        }

        INDArray apply(INDArray a, INDArray b) {
            return switch (this) {
                case ADD -> a.add(b);
                case SUB -> a.sub(b);
                case MUL -> a.mul(b);
                case DIV -> a.div(b);
            };
        }
    }

    private static void binary(NodeProto node, TranslationContext ctx, Arithmetic op) throws org.ncguard.NcguardException {
        Value a = ctx.input(node, 0);
        Value b = ctx.input(node, 1);
        long[] shape = Shapes.broadcast(node, a.shape(), b.shape());
        if (a.isConstant() && b.isConstant()) {
            // Folded in Java: the graph never computes what the file already determines.
            INDArray x = a.constant();
            INDArray y = b.constant();
            if (x.dataType() == DataType.LONG && y.dataType() == DataType.LONG) {
                if (ShapeOps.mentionsBatch(x) || ShapeOps.mentionsBatch(y)) {
                    throw TranslationContext.unsupported(node, "arithmetic on the batch size is not supported");
                }
                ctx.putConstant(node, 0, op.apply(x, y));
            } else {
                ctx.putConstant(node, 0, op.apply(x.castTo(DataType.FLOAT), y.castTo(DataType.FLOAT)));
            }
            return;
        }
        ctx.put(node, 0, op.apply(ctx.variable(node, 0), ctx.variable(node, 1)), shape);
    }
}
