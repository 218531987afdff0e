package org.ncguard.engine.backprop;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ncguard.NcguardException;
import org.ncguard.engine.ModelEditor;
import org.ncguard.engine.OnnxModel;
import org.ncguard.onnx.Onnx.GraphProto;
import org.ncguard.onnx.Onnx.ModelProto;
import org.ncguard.onnx.Onnx.NodeProto;

/**
 * Extends an ONNX classifier with its own backward pass to the input, so that ONNX Runtime computes the input
 * gradient of a cross-entropy loss in the same run as the logits.
 *
 * <p>The extended model reads the images and {@link #TARGETS} (one row per image, one-hot or any distribution) and
 * returns the logits and {@link #INPUT_GRADIENT}: for every image i, the gradient of CE(softmax(logits_i), targets_i)
 * with respect to image i, in the input's own layout and preprocessing. Rows are independent, so a caller can weight
 * them (a mean is a 1/n factor) outside the graph.
 *
 * <p>The backward nodes are written with the ops the forward ones already use (ConvTranspose for Conv, MaxUnpool
 * for MaxPool, Gemm for Gemm), only through the nodes that lie between the input and the logits, and only with ops
 * whose form did not change between opsets 11 and 17, so the extended model keeps the original's opset. An op
 * without a rule in {@link BackwardRules} makes {@link #build} fail with its name; callers then fall back to
 * SameDiff.
 */
public final class BackwardGraph {

    /** Extra input: the target distribution per image, shape [N, labels]. */
    public static final String TARGETS = "ncguard.targets";
    /** Extra output: the gradient of each image's cross-entropy with respect to that image. */
    public static final String INPUT_GRADIENT = "ncguard.inputGradient";

    private BackwardGraph() {}

    /** The extended model; its outputs are the logits ({@link OnnxModel#logitsName()}) and the input gradient. */
    public static ModelProto build(OnnxModel model) throws NcguardException {
        GraphProto graph = model.proto().getGraph();
        String input = model.input().name();
        String logits = model.logitsName();
        GradientWriter out = new GradientWriter(model, ShapeProbe.run(model));
        Set<String> fromInput = dependentOnInput(graph, input);
        Map<String, List<String>> contributions = new HashMap<>();
        contributions.computeIfAbsent(logits, k -> new ArrayList<>()).add(out.crossEntropyGradient(logits, TARGETS));

        List<NodeProto> forward = new ArrayList<>(graph.getNodeList());
        for (int i = forward.size() - 1; i >= 0; i--) {
            NodeProto node = forward.get(i);
            for (int j = 1; j < node.getOutputCount(); j++) {
                if (contributions.containsKey(node.getOutput(j))) {
                    throw out.unsupported(node, "the gradient flows through its output " + j);
                }
            }
            if (node.getOutputCount() == 0 || !contributions.containsKey(node.getOutput(0))) {
                continue;
            }
            String g = out.sum(contributions.get(node.getOutput(0)));
            BackwardRules.Step step = BackwardRules.apply(node, g, fromInput, out);
            forward.set(i, step.forward());
            step.inputGradients().forEach((tensor, grad) ->
                    contributions.computeIfAbsent(tensor, k -> new ArrayList<>()).add(grad));
        }
        if (!contributions.containsKey(input)) {
            throw new NcguardException(model.source() + ": the logits '" + logits + "' do not depend on the input '"
                    + input + "'");
        }
        String inputGradient = out.sum(contributions.get(input));

        GraphProto.Builder g = graph.toBuilder().clearNode().addAllNode(forward).addAllNode(out.nodes())
                .addAllInitializer(out.constants()).clearOutput();
        g.addNode(NodeProto.newBuilder().setOpType("Identity").setName(INPUT_GRADIENT + "/identity")
                .addInput(inputGradient).addOutput(INPUT_GRADIENT));
        g.addInput(ModelEditor.floatTensor(TARGETS, -1, model.labels()));
        g.addOutput(ModelEditor.floatTensor(logits, -1, model.labels()));
        g.addOutput(ModelEditor.floatTensor(INPUT_GRADIENT, model.input().dims()));
        return model.proto().toBuilder().setGraph(g).build();
    }

    /** Tensors computed from the input (through any op, shapes included). */
    private static Set<String> dependentOnInput(GraphProto graph, String input) {
        Set<String> reached = new HashSet<>(Set.of(input));
        for (NodeProto node : graph.getNodeList()) {
            if (node.getInputList().stream().anyMatch(reached::contains)) {
                reached.addAll(node.getOutputList());
            }
        }
        return reached;
    }
}
