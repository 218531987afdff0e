package org.ncguard.engine;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.ncguard.onnx.Onnx.GraphProto;
import org.ncguard.onnx.Onnx.ModelProto;
import org.ncguard.onnx.Onnx.TensorProto;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Conversions between ONNX {@code TensorProto}s and ND4J arrays (float and int64 only: what image models hold), and
 * arrays written back into a model's initializers. Kept apart from {@link ModelEditor}, which the guard uses without
 * ND4J.
 */
public final class OnnxTensors {

    private OnnxTensors() {}

    /** Reads an initializer or Constant value; float16/double become float, int32 becomes int64. */
    public static INDArray toArray(TensorProto t) {
        long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        int count = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        boolean hasRaw = !t.getRawData().isEmpty();
        switch (t.getDataType()) {
            case TensorProto.DataType.FLOAT_VALUE -> {
                float[] v = new float[count];
                if (hasRaw) {
                    raw.asFloatBuffer().get(v);
                } else {
                    for (int i = 0; i < count; i++) {
                        v[i] = t.getFloatData(i);
                    }
                }
                return Nd4j.create(v, shape, 'c');
            }
            case TensorProto.DataType.DOUBLE_VALUE -> {
                float[] v = new float[count];
                for (int i = 0; i < count; i++) {
                    v[i] = (float) (hasRaw ? raw.getDouble(i * 8) : t.getDoubleData(i));
                }
                return Nd4j.create(v, shape, 'c');
            }
            case TensorProto.DataType.INT64_VALUE -> {
                long[] v = new long[count];
                if (hasRaw) {
                    raw.asLongBuffer().get(v);
                } else {
                    for (int i = 0; i < count; i++) {
                        v[i] = t.getInt64Data(i);
                    }
                }
                return Nd4j.createFromArray(v).reshape(shape);
            }
            case TensorProto.DataType.INT32_VALUE -> {
                long[] v = new long[count];
                for (int i = 0; i < count; i++) {
                    v[i] = hasRaw ? raw.getInt(i * 4) : t.getInt32Data(i);
                }
                return Nd4j.createFromArray(v).reshape(shape);
            }
            default -> throw new IllegalArgumentException("tensor '" + t.getName() + "' has data type "
                    + TensorProto.DataType.forNumber(t.getDataType()) + "; ncguard reads FLOAT, DOUBLE, INT32 and INT64");
        }
    }

    /** Writes a float or int64 array as a TensorProto with raw little-endian data, as exporters do. */
    public static TensorProto toTensor(String name, INDArray array) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name);
        for (long d : array.shape()) {
            b.addDims(d);
        }
        INDArray c = array.dup('c');
        if (array.dataType() == DataType.LONG || array.dataType() == DataType.INT) {
            long[] v = c.toLongVector();
            ByteBuffer buf = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            LongBuffer lb = buf.asLongBuffer();
            lb.put(v);
            b.setDataType(TensorProto.DataType.INT64_VALUE).setRawData(ByteString.copyFrom(buf.array()));
        } else {
            float[] v = c.castTo(DataType.FLOAT).data().asFloat();
            ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            FloatBuffer fb = buf.asFloatBuffer();
            fb.put(v);
            b.setDataType(TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(buf.array()));
        }
        return b.build();
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
            if (!Arrays.equals(oldShape, value.shape())) {
                throw new IllegalArgumentException("initializer '" + old.getName() + "' has shape "
                        + Arrays.toString(oldShape) + ", the replacement "
                        + Arrays.toString(value.shape()));
            }
            g.setInitializer(i, toTensor(old.getName(), value));
            replaced++;
        }
        if (replaced != values.size()) {
            Set<String> names = g.getInitializerList().stream().map(TensorProto::getName).collect(Collectors.toSet());
            throw new IllegalArgumentException("no initializer named " + values.keySet().stream()
                    .filter(n -> !names.contains(n)).sorted().toList());
        }
        return model.toBuilder().setGraph(g).build();
    }
}
