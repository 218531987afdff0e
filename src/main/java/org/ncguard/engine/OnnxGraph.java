package org.ncguard.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.ncguard.onnx.Onnx.AttributeProto;
import org.ncguard.onnx.Onnx.GraphProto;
import org.ncguard.onnx.Onnx.NodeProto;
import org.ncguard.onnx.Onnx.TensorProto;

/** Index over an ONNX graph: which node produces a tensor, which nodes read it, initializers by name. */
public final class OnnxGraph {

    private final GraphProto graph;
    private final Map<String, NodeProto> producers = new HashMap<>();
    private final Map<String, List<NodeProto>> consumers = new HashMap<>();
    private final Map<String, TensorProto> initializers = new HashMap<>();

    public OnnxGraph(GraphProto graph) {
        this.graph = graph;
        for (TensorProto t : graph.getInitializerList()) {
            initializers.put(t.getName(), t);
        }
        for (NodeProto n : graph.getNodeList()) {
            for (String out : n.getOutputList()) {
                producers.put(out, n);
            }
            for (String in : n.getInputList()) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
            }
        }
    }

    public GraphProto proto() {
        return graph;
    }

    public Optional<NodeProto> producer(String tensor) {
        return Optional.ofNullable(producers.get(tensor));
    }

    public List<NodeProto> consumers(String tensor) {
        return consumers.getOrDefault(tensor, Collections.emptyList());
    }

    public Optional<TensorProto> initializer(String name) {
        return Optional.ofNullable(initializers.get(name));
    }

    public boolean isInitializer(String name) {
        return initializers.containsKey(name);
    }

    /** Graph inputs that are not initializers (old exporters list weights as inputs too). */
    public List<String> dataInputs() {
        List<String> names = new ArrayList<>();
        graph.getInputList().forEach(v -> {
            if (!initializers.containsKey(v.getName())) {
                names.add(v.getName());
            }
        });
        return names;
    }

    /** Sorted, distinct op types. */
    public List<String> opTypes() {
        TreeSet<String> ops = new TreeSet<>();
        graph.getNodeList().forEach(n -> ops.add(n.getOpType()));
        return List.copyOf(ops);
    }

    /** A readable name for a node in messages: its name, or its op type and first output. */
    public static String describe(NodeProto node) {
        String name = node.getName().isEmpty() ? node.getOutput(0) : node.getName();
        return node.getOpType() + " node '" + name + "'";
    }

    public static Optional<AttributeProto> attribute(NodeProto node, String name) {
        return node.getAttributeList().stream().filter(a -> a.getName().equals(name)).findFirst();
    }

    public static long intAttribute(NodeProto node, String name, long fallback) {
        return attribute(node, name).map(AttributeProto::getI).orElse(fallback);
    }

    public static float floatAttribute(NodeProto node, String name, float fallback) {
        return attribute(node, name).map(AttributeProto::getF).orElse(fallback);
    }

    public static String stringAttribute(NodeProto node, String name, String fallback) {
        return attribute(node, name).map(a -> a.getS().toStringUtf8()).orElse(fallback);
    }

    public static long[] intsAttribute(NodeProto node, String name, long[] fallback) {
        return attribute(node, name)
                .map(a -> a.getIntsList().stream().mapToLong(Long::longValue).toArray())
                .orElse(fallback);
    }

    /**
     * The explicit pads (begin h, begin w, end h, end w) of a 2-D window node: its {@code pads}, or what its
     * {@code auto_pad} (SAME_UPPER, SAME_LOWER, VALID) means for an input of spatial size {@code in[2..3]}.
     */
    public static long[] windowPads(NodeProto node, long[] in, long[] kernel, long[] strides, long[] dilations) {
        String autoPad = stringAttribute(node, "auto_pad", "NOTSET");
        if (autoPad.equals("VALID")) {
            return new long[4];
        }
        if (!autoPad.startsWith("SAME")) {
            return intsAttribute(node, "pads", new long[4]);
        }
        long[] pads = new long[4];
        for (int axis = 0; axis < 2; axis++) {
            long size = in[2 + axis];
            long out = (size + strides[axis] - 1) / strides[axis];
            long total = Math.max(0, (out - 1) * strides[axis] + dilations[axis] * (kernel[axis] - 1) + 1 - size);
            long small = total / 2;
            boolean upper = autoPad.equals("SAME_UPPER");
            pads[axis] = upper ? small : total - small;
            pads[axis + 2] = upper ? total - small : small;
        }
        return pads;
    }
}
