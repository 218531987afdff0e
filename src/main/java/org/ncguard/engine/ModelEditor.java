package org.ncguard.engine;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.ncguard.onnx.Onnx.GraphProto;
import org.ncguard.onnx.Onnx.ModelProto;
import org.ncguard.onnx.Onnx.TensorProto;
import org.ncguard.onnx.Onnx.TensorShapeProto;
import org.ncguard.onnx.Onnx.TypeProto;
import org.ncguard.onnx.Onnx.ValueInfoProto;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Edits of a ModelProto that return a new proto and leave the original (and the user's file) untouched. */
public final class ModelEditor {

    private ModelEditor() {}

    /**
     * Adds tensors to the graph outputs, since ONNX Runtime only returns graph outputs. Tensors already listed are
     * left as they are.
     */
    public static ModelProto withOutputs(ModelProto model, List<String> tensors) {
        GraphProto graph = model.getGraph();
        Set<String> present = graph.getOutputList().stream().map(ValueInfoProto::getName).collect(Collectors.toSet());
        GraphProto.Builder g = graph.toBuilder();
        for (String t : tensors) {
            if (present.add(t)) {
                g.addOutput(ValueInfoProto.newBuilder()
                        .setName(t)
                        .setType(TypeProto.newBuilder().setTensorType(
                                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))));
            }
        }
        return model.toBuilder().setGraph(g).build();
    }

    /**
     * Replaces the values of existing initializers, keeping their names, order, the nodes and the opset: how a
     * patched or trained model is written. Every replacement must keep the initializer's shape.
     */
    public static ModelProto withInitializers(ModelProto model, Map<String, INDArray> values) {
        GraphProto.Builder g = model.getGraph().toBuilder();
        int replaced = 0;
        for (int i = 0; i < g.getInitializerCount(); i++) {
            TensorProto old = g.getInitializer(i);
            INDArray value = values.get(old.getName());
            if (value == null) {
                continue;
            }
            long[] oldShape = old.getDimsList().stream().mapToLong(Long::longValue).toArray();
            if (!java.util.Arrays.equals(oldShape, value.shape())) {
                throw new IllegalArgumentException("initializer '" + old.getName() + "' has shape "
                        + java.util.Arrays.toString(oldShape) + ", the replacement "
                        + java.util.Arrays.toString(value.shape()));
            }
            g.setInitializer(i, OnnxTensors.toTensor(old.getName(), value));
            replaced++;
        }
        if (replaced != values.size()) {
            Set<String> names = g.getInitializerList().stream().map(TensorProto::getName).collect(Collectors.toSet());
            throw new IllegalArgumentException("no initializer named " + values.keySet().stream()
                    .filter(n -> !names.contains(n)).sorted().toList());
        }
        return model.toBuilder().setGraph(g).build();
    }

    /** A float tensor's declaration, with a named batch dimension where {@code dims} has -1. */
    public static ValueInfoProto floatTensor(String name, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("batch")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
    }
}
