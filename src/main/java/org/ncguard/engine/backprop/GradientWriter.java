package org.ncguard.engine.backprop;

import static org.ncguard.engine.OnnxAttributes.attr;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ncguard.NcguardException;
import org.ncguard.engine.OnnxGraph;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.OnnxTensors;
import org.ncguard.onnx.Onnx.AttributeProto;
import org.ncguard.onnx.Onnx.NodeProto;
import org.ncguard.onnx.Onnx.TensorProto;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Writes the backward nodes and their constants, with names that cannot clash with the model's own. */
final class GradientWriter {

    private static final String PREFIX = "ncguard.grad/";

    private final OnnxModel model;
    private final ShapeProbe probe;
    private final List<NodeProto> nodes = new ArrayList<>();
    private final List<TensorProto> constants = new ArrayList<>();
    private int counter;

    GradientWriter(OnnxModel model, ShapeProbe probe) {
        this.model = model;
        this.probe = probe;
    }

    List<NodeProto> nodes() {
        return nodes;
    }

    List<TensorProto> constants() {
        return constants;
    }

    /** Shape of a forward tensor seen with a batch of one. */
    long[] shape(String tensor) {
        long[] s = probe.shapes().get(tensor);
        if (s == null) {
            throw new IllegalStateException("no probed shape for '" + tensor + "'");
        }
        return s;
    }

    /** The value of a small integer tensor (stored, or computed without the input), as the probe saw it. */
    Optional<long[]> integers(String tensor) {
        return Optional.ofNullable(probe.integers().get(tensor));
    }

    /** The value of an initializer or Constant node, if the tensor is one. */
    Optional<INDArray> constant(String tensor) {
        Optional<TensorProto> init = model.graph().initializer(tensor);
        if (init.isPresent()) {
            return Optional.of(OnnxTensors.toArray(init.get()));
        }
        return model.graph().producer(tensor)
                .filter(n -> n.getOpType().equals("Constant"))
                .flatMap(n -> OnnxGraph.attribute(n, "value"))
                .map(a -> OnnxTensors.toArray(a.getT()));
    }

    NcguardException unsupported(NodeProto node, String why) {
        return new NcguardException(model.source() + ": no input gradient for " + OnnxGraph.describe(node) + ": " + why);
    }

    /** d CE(softmax(logits), targets) / d logits = softmax(logits) - targets (for targets that sum to one). */
    String crossEntropyGradient(String logits, String targets) {
        String p = op("Softmax", List.of(logits), attr("axis", 1));
        return op("Sub", List.of(p, targets));
    }

    /** The sum of a tensor's gradient contributions. */
    String sum(List<String> parts) {
        return parts.size() == 1 ? parts.get(0) : op("Sum", parts);
    }

    String scalar(float value) {
        return tensor(Nd4j.scalar(value));
    }

    String tensor(INDArray value) {
        String name = PREFIX + "const" + counter++;
        constants.add(OnnxTensors.toTensor(name, value));
        return name;
    }

    String int64s(long... values) {
        return tensor(Nd4j.createFromArray(values));
    }

    String op(String type, List<String> inputs, AttributeProto... attributes) {
        String output = PREFIX + type + counter++;
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(type).setName(output).addAllInput(inputs).addOutput(output);
        for (AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        nodes.add(n.build());
        return output;
    }

    /** A fresh name for an extra output the forward pass must now produce (such as MaxPool's indices). */
    String fresh(String role) {
        return PREFIX + role + counter++;
    }
}
