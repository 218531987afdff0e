package org.ncguard.engine.translate;

import java.util.Map;
import org.ncguard.NcguardException;
import org.ncguard.engine.OnnxGraph;
import org.ncguard.onnx.Onnx.NodeProto;
import org.nd4j.enums.PadMode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Pad with constant or reflect mode (pads as an attribute before opset 11, as an input from 11). */
final class PadOps {

    private PadOps() {}

    static void register(Map<String, OpMapper> mappers) {
        mappers.put("Pad", PadOps::pad);
    }

    private static void pad(NodeProto node, TranslationContext ctx) throws NcguardException {
        long[] in = ctx.shape(node, 0);
        long[] pads;
        double value;
        if (ctx.opset() < 11) {
            pads = OnnxGraph.intsAttribute(node, "pads", new long[0]);
            value = OnnxGraph.floatAttribute(node, "value", 0f);
        } else {
            pads = ctx.constant(node, 1, "pads").castTo(DataType.LONG).toLongVector();
            value = ctx.hasInput(node, 2) ? ctx.constant(node, 2, "constant value").getDouble(0) : 0;
            if (ctx.hasInput(node, 3)) {
                throw TranslationContext.unsupported(node, "Pad with an axes input is not supported");
            }
        }
        String mode = OnnxGraph.stringAttribute(node, "mode", "constant");
        PadMode padMode = switch (mode) {
            case "constant" -> PadMode.CONSTANT;
            case "reflect" -> PadMode.REFLECT;
            default -> throw TranslationContext.unsupported(node, "Pad mode '" + mode
                    + "' is not supported; expected constant or reflect");
        };
        int rank = in.length;
        if (pads.length != 2 * rank) {
            throw TranslationContext.unsupported(node, "expected " + 2 * rank + " pads, found " + pads.length);
        }
        int[][] pairs = new int[rank][2];
        long[] out = in.clone();
        for (int i = 0; i < rank; i++) {
            if (pads[i] < 0 || pads[i + rank] < 0) {
                throw TranslationContext.unsupported(node, "negative pads (cropping) are not supported");
            }
            if (in[i] < 0 && (pads[i] != 0 || pads[i + rank] != 0)) {
                throw TranslationContext.unsupported(node, "padding the batch dimension is not supported");
            }
            pairs[i][0] = (int) pads[i];
            pairs[i][1] = (int) pads[i + rank];
            out[i] = in[i] < 0 ? in[i] : in[i] + pads[i] + pads[i + rank];
        }
        var padding = ctx.sd().constant(Nd4j.createFromArray(pairs));
        ctx.put(node, 0, ctx.sd().nn().pad(ctx.variable(node, 0), padding, padMode, value), out);
    }
}
