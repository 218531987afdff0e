package org.ncguard.engine.translate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.ncguard.NcguardException;
import org.ncguard.engine.DifferentiableModel;
import org.ncguard.engine.OnnxGraph;
import org.ncguard.engine.OnnxModel;
import org.ncguard.onnx.Onnx.NodeProto;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Builds a SameDiff graph op by op from an ONNX model's nodes and initializers.
 *
 * <p>SameDiff's own ONNX importer gives wrong logits on PyTorch exports, so ncguard translates itself: one mapper
 * per op family, constant subgraphs (shape arithmetic) folded in Java, and a clear error for anything else.
 */
public final class GraphTranslator {

    private static final Map<String, OpMapper> MAPPERS = new HashMap<>();

    static {
        ElementwiseOps.register(MAPPERS);
        ConvOps.register(MAPPERS);
        DenseOps.register(MAPPERS);
        NormalizationOps.register(MAPPERS);
        PadOps.register(MAPPERS);
        ShapeOps.register(MAPPERS);
    }

    private GraphTranslator() {}

    /** The op types ncguard can translate, sorted. */
    public static List<String> supportedOps() {
        return List.copyOf(new TreeSet<>(MAPPERS.keySet()));
    }

    /** Fails, naming the first unsupported node and the supported list, if the model uses an op with no mapper. */
    public static void checkSupported(OnnxModel model) throws NcguardException {
        for (NodeProto node : model.proto().getGraph().getNodeList()) {
            boolean defaultDomain = node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx");
            if (!defaultDomain || !MAPPERS.containsKey(node.getOpType())) {
                String op = defaultDomain ? node.getOpType() : node.getDomain() + "." + node.getOpType();
                throw new NcguardException("unsupported op " + op + " in " + OnnxGraph.describe(node)
                        + " of " + model.source() + "; ncguard supports " + supportedOps());
            }
        }
    }

    /** Translates with a fresh graph whose input is a float placeholder named {@code input}. */
    public static DifferentiableModel translate(OnnxModel model) throws NcguardException {
        SameDiff sd = SameDiff.create();
        SDVariable input = sd.placeHolder("input", DataType.FLOAT, model.input().dims());
        return translate(model, sd, input);
    }

    /**
     * Translates into {@code sd}, reading the model input from {@code input}, which may be any expression of the
     * model's input shape (for example a trigger stamped onto a placeholder).
     */
    public static DifferentiableModel translate(OnnxModel model, SameDiff sd, SDVariable input) throws NcguardException {
        return translate(model, sd, input, false);
    }

    /**
     * As {@link #translate(OnnxModel, SameDiff, SDVariable)}, but batch normalisation uses each batch's own
     * statistics, reported by {@link DifferentiableModel#batchStatistics()}: the graph for training a network.
     */
    public static DifferentiableModel translateForTraining(OnnxModel model, SameDiff sd, SDVariable input)
            throws NcguardException {
        return translate(model, sd, input, true);
    }

    private static DifferentiableModel translate(OnnxModel model, SameDiff sd, SDVariable input, boolean training)
            throws NcguardException {
        checkSupported(model);
        TranslationContext ctx = new TranslationContext(sd, model.graph(), model.opset(), training);
        ctx.bindInput(model.input().name(), input, model.input().dims());
        for (NodeProto node : model.proto().getGraph().getNodeList()) {
            MAPPERS.get(node.getOpType()).map(node, ctx);
        }
        SDVariable output = graphNode(ctx, model, model.outputName());
        SDVariable logits = graphNode(ctx, model, model.logitsName());
        SDVariable penultimate = graphNode(ctx, model, model.penultimate().tensor());
        return new DifferentiableModel(model, sd, input, output, logits, penultimate, ctx.parameters(),
                ctx.batchStatistics());
    }

    private static SDVariable graphNode(TranslationContext ctx, OnnxModel model, String tensor) throws NcguardException {
        Value v = ctx.value(tensor);
        if (v.isConstant()) {
            throw new NcguardException(model.source() + ": tensor '" + tensor + "' does not depend on the input image");
        }
        return v.variable();
    }
}
