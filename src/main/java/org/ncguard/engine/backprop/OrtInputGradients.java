package org.ncguard.engine.backprop;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Set;
import org.ncguard.NcguardException;
import org.ncguard.engine.OnnxModel;
import org.ncguard.onnx.Onnx.ModelProto;

/** Input gradients from ONNX Runtime, running a model extended by {@link BackwardGraph}. */
final class OrtInputGradients implements InputGradients {

    private final OnnxModel model;
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    OrtInputGradients(OnnxModel model, ModelProto extended, int threads) throws NcguardException {
        this.model = model;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            this.session = env.createSession(extended.toByteArray(), options);
        } catch (OrtException e) {
            throw new NcguardException(model.source() + ": ONNX Runtime rejected the model's backward pass: "
                    + e.getMessage());
        }
    }

    @Override
    public void compute(float[] images, int n, float[] targets, float[] logits, float[] gradient) {
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(images, 0, n * model.input().shape().size()),
                        model.input().shape().batchShape(n));
                OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(targets, 0, n * model.labels()),
                        new long[] {n, model.labels()});
                OrtSession.Result result = session.run(Map.of(model.input().name(), in, BackwardGraph.TARGETS, t),
                        Set.of(model.logitsName(), BackwardGraph.INPUT_GRADIENT))) {
            ((OnnxTensor) result.get(model.logitsName()).orElseThrow()).getFloatBuffer().get(logits, 0, n * model.labels());
            ((OnnxTensor) result.get(BackwardGraph.INPUT_GRADIENT).orElseThrow()).getFloatBuffer()
                    .get(gradient, 0, n * model.input().shape().size());
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on the backward pass of " + model.source() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String engine() {
        return "onnxruntime";
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("could not close ONNX Runtime session: " + e.getMessage(), e);
        }
    }
}
