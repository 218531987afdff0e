package org.ncguard.engine.translate;

import java.util.Arrays;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ncguard.NcguardException;
import org.ncguard.engine.BatchStatistics;
import org.ncguard.engine.OnnxGraph;
import org.ncguard.engine.OnnxTensors;
import org.ncguard.onnx.Onnx.NodeProto;
import org.ncguard.onnx.Onnx.TensorProto;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The state of one translation: the SameDiff graph being built and the value of every ONNX tensor so far. */
final class TranslationContext {

    private final SameDiff sd;
    private final OnnxGraph graph;
    private final long opset;
    private final Map<String, Value> values = new HashMap<>();
    private final Map<String, SDVariable> parameters = new LinkedHashMap<>();
    private final Map<String, SDVariable> frozen = new HashMap<>();
    private final boolean training;
    private final List<BatchStatistics> batchStatistics = new ArrayList<>();

    TranslationContext(SameDiff sd, OnnxGraph graph, long opset, boolean training) {
        this.sd = sd;
        this.graph = graph;
        this.opset = opset;
        this.training = training;
    }

    /** Whether batch normalisation uses each batch's own statistics, as while training a network. */
    boolean training() {
        return training;
    }

    /** The batch-norm statistics that training must average into the running ones, in graph order. */
    List<BatchStatistics> batchStatistics() {
        return batchStatistics;
    }

    void addBatchStatistics(BatchStatistics statistics) {
        batchStatistics.add(statistics);
    }

    SameDiff sd() {
        return sd;
    }

    long opset() {
        return opset;
    }

    /** Trainable weights, by initializer name, in the order they were first used. */
    Map<String, SDVariable> parameters() {
        return parameters;
    }

    boolean hasInput(NodeProto node, int i) {
        return node.getInputCount() > i && !node.getInput(i).isEmpty();
    }

    Value value(String tensor) throws NcguardException {
        Value v = values.get(tensor);
        if (v != null) {
            return v;
        }
        TensorProto init = graph.initializer(tensor).orElse(null);
        if (init == null) {
            throw new NcguardException("tensor '" + tensor + "' is used before any node produces it; "
                    + "the graph must be in topological order, as ONNX requires");
        }
        v = Value.constant(OnnxTensors.toArray(init));
        values.put(tensor, v);
        return v;
    }

    Value input(NodeProto node, int i) throws NcguardException {
        return value(node.getInput(i));
    }

    long[] shape(NodeProto node, int i) throws NcguardException {
        return input(node, i).shape();
    }

    /**
     * The input as a graph node. A float initializer becomes a trainable variable named after it (so weights can be
     * fine-tuned and written back); any other constant becomes a SameDiff constant.
     */
    SDVariable variable(NodeProto node, int i) throws NcguardException {
        String name = node.getInput(i);
        Value v = value(name);
        if (!v.isConstant()) {
            return v.variable();
        }
        if (graph.isInitializer(name) && v.constant().dataType() == DataType.FLOAT) {
            return parameters.computeIfAbsent(name, n -> sd.var(unique(n), v.constant().dup()));
        }
        return constantVariable(name, v.constant());
    }

    /** The input as a graph constant that training leaves alone (batch-norm statistics). */
    SDVariable frozen(NodeProto node, int i) throws NcguardException {
        String name = node.getInput(i);
        Value v = value(name);
        if (!v.isConstant()) {
            return v.variable();
        }
        return constantVariable(name, v.constant());
    }

    private SDVariable constantVariable(String name, INDArray value) {
        return frozen.computeIfAbsent(name, n -> sd.constant(unique("const_" + n), value.castTo(DataType.FLOAT)));
    }

    /** The input's value when it must be known before running (shapes, pads, axes). */
    INDArray constant(NodeProto node, int i, String role) throws NcguardException {
        Value v = input(node, i);
        if (!v.isConstant()) {
            throw new NcguardException(OnnxGraph.describe(node) + ": its " + role + " (input '" + node.getInput(i)
                    + "') is computed from the image at run time; ncguard needs it constant");
        }
        return v.constant();
    }

    void put(NodeProto node, int output, SDVariable variable, long[] shape) {
        values.put(node.getOutput(output), Value.dynamic(variable, shape));
    }

    void putConstant(NodeProto node, int output, INDArray constant) {
        values.put(node.getOutput(output), Value.constant(constant));
    }

    void alias(NodeProto node, Value value) {
        values.put(node.getOutput(0), value);
    }

    void bindInput(String name, SDVariable variable, long[] shape) {
        values.put(name, Value.dynamic(variable, shape));
    }

    private String unique(String base) {
        String name = base.replaceAll("[^A-Za-z0-9_./-]", "_");
        String candidate = name;
        for (int i = 1; sd.hasVariable(candidate); i++) {
            candidate = name + "_" + i;
        }
        return candidate;
    }

    static NcguardException unsupported(NodeProto node, String what) {
        return new NcguardException(OnnxGraph.describe(node) + ": " + what);
    }

    static String shapeString(long[] shape) {
        return Arrays.toString(Arrays.stream(shape).mapToObj(d -> d == -1 || d == Value.BATCH ? "batch" : Long.toString(d))
                .toArray()).replace(" ", "");
    }
}
