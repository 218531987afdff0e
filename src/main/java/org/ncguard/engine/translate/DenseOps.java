package org.ncguard.engine.translate;

import java.util.Map;
import org.ncguard.NcguardException;
import org.ncguard.engine.OnnxGraph;
import org.ncguard.onnx.Onnx.NodeProto;
import org.nd4j.autodiff.samediff.SDVariable;

/** Dense layers: Gemm (transA, transB, alpha, beta) and 2-D MatMul. */
final class DenseOps {

    private DenseOps() {}

    static void register(Map<String, OpMapper> mappers) {
        mappers.put("Gemm", DenseOps::gemm);
        mappers.put("MatMul", DenseOps::matmul);
    }

    private static void gemm(NodeProto node, TranslationContext ctx) throws NcguardException {
        boolean transA = OnnxGraph.intAttribute(node, "transA", 0) == 1;
        boolean transB = OnnxGraph.intAttribute(node, "transB", 0) == 1;
        float alpha = OnnxGraph.floatAttribute(node, "alpha", 1f);
        float beta = OnnxGraph.floatAttribute(node, "beta", 1f);
        long[] a = ctx.shape(node, 0);
        long[] b = ctx.shape(node, 1);
        if (transA) {
            throw TranslationContext.unsupported(node, "transA=1 would put the batch in the columns; expected transA=0");
        }
        SDVariable y = ctx.sd().mmul(ctx.variable(node, 0), ctx.variable(node, 1), false, transB, false);
        if (alpha != 1f) {
            y = y.mul(alpha);
        }
        if (ctx.hasInput(node, 2) && beta != 0f) {
            SDVariable c = ctx.variable(node, 2);
            y = y.add(beta == 1f ? c : c.mul(beta));
        }
        ctx.put(node, 0, y, new long[] {a[0], transB ? b[0] : b[1]});
    }

    private static void matmul(NodeProto node, TranslationContext ctx) throws NcguardException {
        long[] a = ctx.shape(node, 0);
        long[] b = ctx.shape(node, 1);
        if (a.length != 2 || b.length != 2) {
            throw TranslationContext.unsupported(node, "MatMul is supported on 2-D operands, found "
                    + TranslationContext.shapeString(a) + " x " + TranslationContext.shapeString(b));
        }
        ctx.put(node, 0, ctx.sd().mmul(ctx.variable(node, 0), ctx.variable(node, 1)), new long[] {a[0], b[1]});
    }
}
