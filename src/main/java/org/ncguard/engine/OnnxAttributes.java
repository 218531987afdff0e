package org.ncguard.engine;

import org.ncguard.onnx.Onnx.AttributeProto;
import org.ncguard.onnx.Onnx.AttributeProto.AttributeType;
import org.ncguard.onnx.Onnx.TensorProto;

/** Node attributes for graphs ncguard writes; {@link OnnxGraph} reads them back. */
public final class OnnxAttributes {

    private OnnxAttributes() {}

    public static AttributeProto attr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.INT).setI(value).build();
    }

    public static AttributeProto attr(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOAT).setF(value).build();
    }

    public static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    public static AttributeProto tensor(String name, TensorProto value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.TENSOR).setT(value).build();
    }
}
