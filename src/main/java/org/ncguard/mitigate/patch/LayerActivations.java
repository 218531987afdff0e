package org.ncguard.mitigate.patch;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ncguard.NcguardException;
import org.ncguard.data.Batch;
import org.ncguard.data.Preprocessor;
import org.ncguard.data.Trigger;
import org.ncguard.engine.ModelEditor;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.ScorerOptions;
import org.ncguard.mitigate.Penultimates;

/**
 * The activations of any inner tensor of a model, one value per unit and image: a dense layer's neurons as they
 * are, a conv layer's channels averaged over their positions. ONNX Runtime only returns graph outputs, so the
 * session runs a copy of the model with the tensor added as an output.
 */
public final class LayerActivations implements AutoCloseable {

    private final OnnxModel model;
    private final String tensor;
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    public LayerActivations(OnnxModel model, String tensor, ScorerOptions options) {
        this.model = model;
        this.tensor = tensor;
        byte[] augmented = ModelEditor.withOutputs(model.proto(), List.of(tensor)).toByteArray();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(options.intraOpThreads());
            so.setInterOpNumThreads(1);
            this.session = env.createSession(augmented, so);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not load " + model.source() + ": " + e.getMessage(), e);
        }
    }

    /** Per-unit activations and predictions of canonical {@code images}, stamped with {@code trigger} if not null. */
    public Penultimates of(Preprocessor pre, Batch images, Trigger trigger) throws NcguardException {
        return Penultimates.collect(pre, images, trigger, this::run);
    }

    private void run(float[] pixels, int k, float[][] rows, int[] predicted, int from) {
        String output = model.outputName();
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels),
                model.input().shape().batchShape(k));
                OrtSession.Result result = session.run(Map.of(model.input().name(), in), Set.of(output, tensor))) {
            OnnxTensor act = (OnnxTensor) result.get(tensor).orElseThrow();
            long[] shape = act.getInfo().getShape();
            float[] a = floats(act);
            float[] out = floats((OnnxTensor) result.get(output).orElseThrow());
            int units = (int) shape[1];
            int positions = a.length / (k * units);
            int labels = out.length / k;
            for (int i = 0; i < k; i++) {
                float[] row = new float[units];
                for (int u = 0; u < units; u++) {
                    double sum = 0;
                    int base = (i * units + u) * positions;
                    for (int p = 0; p < positions; p++) {
                        sum += a[base + p];
                    }
                    row[u] = (float) (sum / positions);
                }
                rows[from + i] = row;
                int best = 0;
                for (int l = 1; l < labels; l++) {
                    if (out[i * labels + l] > out[i * labels + best]) {
                        best = l;
                    }
                }
                predicted[from + i] = best;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on " + model.source() + ": " + e.getMessage(), e);
        }
    }

    private static float[] floats(OnnxTensor t) {
        FloatBuffer b = t.getFloatBuffer();
        float[] v = new float[b.remaining()];
        b.get(v);
        return v;
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
