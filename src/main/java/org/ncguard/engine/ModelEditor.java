package org.ncguard.engine;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.ncguard.onnx.Onnx.GraphProto;
import org.ncguard.onnx.Onnx.ModelProto;
import org.ncguard.onnx.Onnx.TensorProto;
import org.ncguard.onnx.Onnx.TensorShapeProto;
import org.ncguard.onnx.Onnx.TypeProto;
import org.ncguard.onnx.Onnx.ValueInfoProto;

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
