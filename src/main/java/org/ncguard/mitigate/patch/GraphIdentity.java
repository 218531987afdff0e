package org.ncguard.mitigate.patch;

import java.util.List;
import org.ncguard.onnx.Onnx.GraphProto;
import org.ncguard.onnx.Onnx.ModelProto;
import org.ncguard.onnx.Onnx.TensorProto;

/**
 * Whether a patched model is the original with other weight values only: the same nodes (names, ops, wiring,
 * attributes), inputs, outputs, opsets, and initializers of the same names, types and shapes, in the same order.
 */
public final class GraphIdentity {

    private GraphIdentity() {
    }

    /** What differs between {@code original} and {@code patched} besides initializer values; empty if nothing. */
    public static List<String> differences(ModelProto original, ModelProto patched) {
        GraphProto a = original.getGraph();
        GraphProto b = patched.getGraph();
        java.util.ArrayList<String> diff = new java.util.ArrayList<>();
        if (!a.getNodeList().equals(b.getNodeList())) {
            diff.add("nodes");
        }
        if (!a.getInputList().equals(b.getInputList())) {
            diff.add("inputs");
        }
        if (!a.getOutputList().equals(b.getOutputList())) {
            diff.add("outputs");
        }
        if (!original.getOpsetImportList().equals(patched.getOpsetImportList())) {
            diff.add("opset");
        }
        if (!a.getName().equals(b.getName())) {
            diff.add("graph name");
        }
        if (a.getInitializerCount() != b.getInitializerCount()) {
            diff.add("initializer count");
        } else {
            for (int i = 0; i < a.getInitializerCount(); i++) {
                TensorProto x = a.getInitializer(i);
                TensorProto y = b.getInitializer(i);
                if (!x.getName().equals(y.getName()) || x.getDataType() != y.getDataType()
                        || !x.getDimsList().equals(y.getDimsList())) {
                    diff.add("initializer " + x.getName());
                }
            }
        }
        return List.copyOf(diff);
    }
}
