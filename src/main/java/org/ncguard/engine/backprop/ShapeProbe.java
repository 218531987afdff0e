package org.ncguard.engine.backprop;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;
import org.ncguard.NcguardException;
import org.ncguard.engine.OnnxModel;
import org.ncguard.onnx.Onnx.GraphProto;
import org.ncguard.onnx.Onnx.NodeProto;
import org.ncguard.onnx.Onnx.ValueInfoProto;

/**
 * The shape of every tensor of a model, and the value of its small integer tensors (shape arithmetic, pad amounts),
 * read by running it once on a blank image with every node output exposed: ONNX files rarely carry complete shape
 * information, and ONNX Runtime is the authority on what its kernels make.
 */
record ShapeProbe(Map<String, long[]> shapes, Map<String, long[]> integers) {

    static ShapeProbe run(OnnxModel model) throws NcguardException {
        GraphProto.Builder g = model.proto().getGraph().toBuilder().clearOutput();
        for (NodeProto node : model.proto().getGraph().getNodeList()) {
            for (String out : node.getOutputList()) {
                if (!out.isEmpty()) {
                    g.addOutput(ValueInfoProto.newBuilder().setName(out)); // untyped: ONNX Runtime infers it
                }
            }
        }
        byte[] probe = model.proto().toBuilder().setGraph(g).build().toByteArray();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] batchOfOne = model.input().shape().batchShape(1);
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            // No fusion: every named tensor must still exist to be returned.
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession session = env.createSession(probe, options);
                    OnnxTensor blank = OnnxTensor.createTensor(env,
                            FloatBuffer.wrap(new float[model.input().shape().size()]), batchOfOne);
                    OrtSession.Result result = session.run(Map.of(model.input().name(), blank))) {
                Map<String, long[]> shapes = new HashMap<>();
                Map<String, long[]> integers = new HashMap<>();
                shapes.put(model.input().name(), batchOfOne);
                for (Map.Entry<String, OnnxValue> e : result) {
                    if (e.getValue() instanceof OnnxTensor t) {
                        shapes.put(e.getKey(), t.getInfo().getShape());
                        if (t.getInfo().type == OnnxJavaType.INT64 && t.getInfo().getNumElements() <= 64) {
                            LongBuffer values = t.getLongBuffer();
                            long[] v = new long[values.remaining()];
                            values.get(v);
                            integers.put(e.getKey(), v);
                        }
                    }
                }
                return new ShapeProbe(shapes, integers);
            }
        } catch (OrtException e) {
            throw new NcguardException(model.source() + ": ONNX Runtime could not run the model to read its tensor shapes: "
                    + e.getMessage());
        }
    }
}
