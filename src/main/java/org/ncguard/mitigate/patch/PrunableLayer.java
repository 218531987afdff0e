package org.ncguard.mitigate.patch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ncguard.NcguardException;
import org.ncguard.engine.OnnxGraph;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.OnnxTensors;
import org.ncguard.onnx.Onnx.ModelProto;
import org.ncguard.onnx.Onnx.NodeProto;
import org.ncguard.onnx.Onnx.TensorProto;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A layer of a model whose units can be pruned by editing initializer values only: which tensor holds the units'
 * activations (to rank them) and which weight slices to zero so that a unit stops contributing. The graph, node
 * names, inputs, outputs and opset never change.
 *
 * <p>A spatial unit or a penultimate neuron is pruned by zeroing the weights with which a dense layer reads it: its
 * value no longer reaches the next layer. A conv channel is pruned by zeroing its filter and bias (and, when a batch
 * normalization follows, its scale and shift, which would otherwise turn the zero into a constant), so the channel
 * outputs zero.
 *
 * @param kind       which layer
 * @param activation the tensor whose values rank the units ({@code [n, units]}, or {@code [n, units, h, w]})
 * @param units      number of units
 * @param slices     the weight slices that make up one unit
 */
public record PrunableLayer(PruneLayer kind, String activation, int units, List<Slice> slices) {

    /**
     * Along {@code axis} of initializer {@code initializer}, index {@code j} belongs to unit {@code j}.
     *
     * @param initializer the initializer's name
     * @param axis        the axis indexed by unit
     */
    public record Slice(String initializer, int axis) {}

    public PrunableLayer {
        if (units < 1) {
            throw new IllegalArgumentException("a prunable layer needs units, found " + units);
        }
        slices = List.copyOf(slices);
    }

    /** Finds {@code kind} in {@code model}. */
    public static PrunableLayer of(OnnxModel model, PruneLayer kind) throws NcguardException {
        return switch (kind) {
            case SPATIAL -> spatial(model);
            case PENULTIMATE -> penultimate(model);
            case CONV -> lastConv(model);
        };
    }

    private static PrunableLayer penultimate(OnnxModel model) throws NcguardException {
        OnnxGraph graph = model.graph();
        String tensor = model.penultimate().tensor();
        for (NodeProto reader : graph.consumers(tensor)) {
            if (reader.getInputCount() >= 2 && reader.getInput(0).equals(tensor)) {
                Optional<Slice> slice = denseWeights(graph, reader);
                if (slice.isPresent()) {
                    return new PrunableLayer(PruneLayer.PENULTIMATE, tensor, model.penultimate().size(),
                            List.of(slice.get()));
                }
            }
        }
        throw new NcguardException(model.source() + ": the penultimate activation '" + tensor + "' is not read by a "
                + "dense layer with stored weights; ncguard cannot prune it");
    }

    private static PrunableLayer spatial(OnnxModel model) throws NcguardException {
        OnnxGraph graph = model.graph();
        List<NodeProto> nodes = graph.proto().getNodeList();
        NodeProto conv = lastConvNode(model);
        // Nodes are in topological order: the first dense layer listed after the last Conv reads its output.
        for (NodeProto node : nodes.subList(nodes.indexOf(conv) + 1, nodes.size())) {
            Optional<Slice> slice = denseWeights(graph, node);
            if (slice.isPresent()) {
                TensorProto weights = graph.initializer(slice.get().initializer()).orElseThrow();
                return new PrunableLayer(PruneLayer.SPATIAL, node.getInput(0),
                        (int) weights.getDims(slice.get().axis()), List.of(slice.get()));
            }
        }
        throw new NcguardException(model.source() + ": no dense layer with stored weights reads the output of "
                + OnnxGraph.describe(conv) + "; use --layer conv or --layer penultimate");
    }

    /**
     * The weights with which a dense node ({@code Gemm} without a transposed input, or {@code MatMul}) reads its first
     * input, when they are stored: the axis indexed by input unit.
     */
    private static Optional<Slice> denseWeights(OnnxGraph graph, NodeProto node) {
        if (node.getInputCount() < 2 || !graph.isInitializer(node.getInput(1))) {
            return Optional.empty();
        }
        if (node.getOpType().equals("Gemm") && OnnxGraph.intAttribute(node, "transA", 0) == 0) {
            return Optional.of(new Slice(node.getInput(1), OnnxGraph.intAttribute(node, "transB", 0) == 1 ? 1 : 0));
        }
        if (node.getOpType().equals("MatMul")) {
            return Optional.of(new Slice(node.getInput(1), 0));
        }
        return Optional.empty();
    }

    private static NodeProto lastConvNode(OnnxModel model) throws NcguardException {
        // Nodes are in topological order: the last Conv listed is the last one computed.
        return model.graph().proto().getNodeList().stream().filter(n -> n.getOpType().equals("Conv"))
                .reduce((first, second) -> second)
                .orElseThrow(() -> new NcguardException(model.source() + " has no Conv node; use --layer penultimate"));
    }

    private static PrunableLayer lastConv(OnnxModel model) throws NcguardException {
        OnnxGraph graph = model.graph();
        NodeProto conv = lastConvNode(model);
        requireInitializer(model, conv, conv.getInput(1));
        TensorProto weights = graph.initializer(conv.getInput(1)).orElseThrow();
        List<Slice> slices = new ArrayList<>();
        slices.add(new Slice(conv.getInput(1), 0));
        if (conv.getInputCount() > 2 && !conv.getInput(2).isEmpty()) {
            requireInitializer(model, conv, conv.getInput(2));
            slices.add(new Slice(conv.getInput(2), 0));
        }
        String activation = conv.getOutput(0);
        while (graph.consumers(activation).size() == 1) {
            NodeProto next = graph.consumers(activation).get(0);
            if (next.getOpType().equals("BatchNormalization")) {
                requireInitializer(model, next, next.getInput(1));
                requireInitializer(model, next, next.getInput(2));
                slices.add(new Slice(next.getInput(1), 0));
                slices.add(new Slice(next.getInput(2), 0));
            } else if (!next.getOpType().equals("Relu")) {
                break;
            }
            activation = next.getOutput(0);
        }
        return new PrunableLayer(PruneLayer.CONV, activation, (int) weights.getDims(0), slices);
    }

    private static void requireInitializer(OnnxModel model, NodeProto node, String name) throws NcguardException {
        if (!model.graph().isInitializer(name)) {
            throw new NcguardException(model.source() + ": input '" + name + "' of " + OnnxGraph.describe(node)
                    + " is computed, not stored; ncguard prunes stored weights only");
        }
    }

    /** A copy of {@code model} with {@code pruned} units zeroed; only initializer values differ. */
    public ModelProto zeroed(OnnxModel model, int[] pruned) {
        Map<String, org.nd4j.linalg.api.ndarray.INDArray> values = new LinkedHashMap<>();
        for (Slice slice : slices) {
            TensorProto t = model.graph().initializer(slice.initializer()).orElseThrow();
            long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
            float[] v = OnnxTensors.toArray(t).dup('c').data().asFloat();
            long inner = 1;
            for (int a = slice.axis() + 1; a < shape.length; a++) {
                inner *= shape[a];
            }
            long axisLength = shape[slice.axis()];
            long outer = v.length / (axisLength * inner);
            for (int unit : pruned) {
                if (unit < 0 || unit >= axisLength) {
                    throw new IllegalArgumentException("unit " + unit + " is outside " + slice.initializer()
                            + "'s axis " + slice.axis() + " of length " + axisLength);
                }
                for (long o = 0; o < outer; o++) {
                    long base = (o * axisLength + unit) * inner;
                    for (long i = 0; i < inner; i++) {
                        v[(int) (base + i)] = 0f;
                    }
                }
            }
            values.put(slice.initializer(), Nd4j.create(v, shape, 'c'));
        }
        return OnnxTensors.withInitializers(model.proto(), values);
    }
}
