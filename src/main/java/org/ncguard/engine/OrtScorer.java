package org.ncguard.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scores image batches with ONNX Runtime, returning the output and the penultimate activations of every image.
 *
 * <p>One session per model, reused: {@link #score} is thread-safe. The session runs an in-memory copy of the model
 * in which the penultimate tensor is also a graph output; the user's file is never modified.
 */
public final class OrtScorer implements AutoCloseable {

    private final OnnxModel model;
    private final OrtEnvironment env;
    private final OrtSession session;
    private volatile boolean closed;

    public OrtScorer(OnnxModel model, ScorerOptions options) {
        this.model = model;
        this.env = OrtEnvironment.getEnvironment();
        byte[] augmented = ModelEditor.withOutputs(model.proto(), List.of(model.penultimate().tensor())).toByteArray();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(options.intraOpThreads());
            so.setInterOpNumThreads(1);
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            this.session = env.createSession(augmented, so);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not load " + model.source() + ": " + e.getMessage(), e);
        }
    }

    public OnnxModel model() {
        return model;
    }

    /**
     * Scores {@code n} images stored one after the other in {@code pixels}, each in the model's input layout
     * ({@link ImageShape#size()} floats, preprocessing already applied).
     */
    public List<Scores> score(float[] pixels, int n) {
        if (closed) {
            throw new IllegalStateException("scorer for " + model.source() + " is closed");
        }
        ImageShape shape = model.input().shape();
        if (n < 1 || pixels.length != (long) n * shape.size()) {
            throw new IllegalArgumentException("expected " + n + " images of " + shape + " = " + (long) n * shape.size()
                    + " floats, found " + pixels.length);
        }
        String output = model.outputName();
        String penultimate = model.penultimate().tensor();
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), shape.batchShape(n));
                OrtSession.Result result = session.run(Map.of(model.input().name(), in), Set.of(output, penultimate))) {
            float[] out = flat(result, output);
            float[] pen = flat(result, penultimate);
            int labels = out.length / n;
            int features = pen.length / n;
            List<Scores> scores = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                float[] o = new float[labels];
                float[] p = new float[features];
                System.arraycopy(out, i * labels, o, 0, labels);
                System.arraycopy(pen, i * features, p, 0, features);
                scores.add(new Scores(o, p));
            }
            return scores;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on " + model.source() + ": " + e.getMessage(), e);
        }
    }

    private static float[] flat(OrtSession.Result result, String name) {
        OnnxTensor t = (OnnxTensor) result.get(name).orElseThrow(
                () -> new IllegalStateException("ONNX Runtime returned no tensor '" + name + "'"));
        FloatBuffer b = t.getFloatBuffer();
        float[] v = new float[b.remaining()];
        b.get(v);
        return v;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                session.close();
            } catch (OrtException e) {
                throw new IllegalStateException("could not close ONNX Runtime session: " + e.getMessage(), e);
            }
        }
    }
}
