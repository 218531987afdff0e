package org.ncguard.guard.score;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.ModelEditor;
import org.ncguard.engine.OnnxModel;

/**
 * One served model: its identity and one ONNX Runtime session, shared by every stream task (a session's run is
 * thread-safe). The session runs a copy of the model whose graph outputs include the penultimate activation, and is
 * asked for the output and the penultimate tensor only.
 */
public final class ModelRunner implements AutoCloseable {

    private final String id;
    private final String source;
    private final String sha256;
    private final ImageShape shape;
    private final String inputName;
    private final String outputName;
    private final String penultimateName;
    private final int labels;
    private final int penultimateSize;
    private final long[] outputShape;
    private final long[] penultimateShape;
    private final OrtEnvironment env;
    private final OrtSession session;
    private volatile boolean closed;

    /**
     * Opens a session on {@code model}.
     *
     * @param id         the model id requests name
     * @param model      the checked ONNX model
     * @param ortThreads ONNX Runtime's intra-op threads
     */
    public ModelRunner(String id, OnnxModel model, int ortThreads) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("model id is required, found '" + id + "'");
        }
        if (ortThreads < 1) {
            throw new IllegalArgumentException("ONNX Runtime threads must be >= 1, found " + ortThreads);
        }
        this.id = id;
        this.source = model.source();
        this.sha256 = model.sha256();
        this.shape = model.input().shape();
        this.inputName = model.input().name();
        this.outputName = model.outputName();
        this.penultimateName = model.penultimate().tensor();
        this.labels = model.labels();
        this.penultimateSize = model.penultimate().size();
        this.env = OrtEnvironment.getEnvironment();
        byte[] augmented = ModelEditor.withOutputs(model.proto(), List.of(penultimateName)).toByteArray();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(ortThreads);
            so.setInterOpNumThreads(1);
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            this.session = env.createSession(augmented, so);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not load " + source + ": " + e.getMessage(), e);
        }
        // One run on zeros tells the output shapes for batch 1, which the workers' pinned outputs need.
        try (OnnxTensor zeros = OnnxTensor.createTensor(env, FloatBuffer.allocate(shape.size()), shape.batchShape(1));
                OrtSession.Result r = session.run(Map.of(inputName, zeros), Set.of(outputName, penultimateName))) {
            this.outputShape = ((TensorInfo) r.get(outputName).orElseThrow().getInfo()).getShape();
            this.penultimateShape = ((TensorInfo) r.get(penultimateName).orElseThrow().getInfo()).getShape();
        } catch (OrtException e) {
            close();
            throw new IllegalStateException("ONNX Runtime failed on a zero input of " + source + ": " + e.getMessage(),
                    e);
        }
        if (count(outputShape) != labels || count(penultimateShape) != penultimateSize) {
            close();
            throw new IllegalStateException(source + ": a batch of one gave " + count(outputShape) + " outputs and "
                    + count(penultimateShape) + " penultimate values, expected " + labels + " and " + penultimateSize);
        }
    }

    private static long count(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    /** A worker with its own buffers, for one stream task. */
    public ScoringWorker newWorker() {
        if (closed) {
            throw new IllegalStateException("model " + id + " (" + source + ") is closed");
        }
        try {
            return new ScoringWorker(this, env, session, direct(shape.size()), direct(labels), direct(penultimateSize));
        } catch (OrtException e) {
            throw new IllegalStateException("cannot create ONNX Runtime tensors for " + source + ": " + e.getMessage(),
                    e);
        }
    }

    private static FloatBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    public String id() {
        return id;
    }

    /** The file the model came from. */
    public String source() {
        return source;
    }

    public String sha256() {
        return sha256;
    }

    /** The image the model takes (batch excluded). */
    public ImageShape shape() {
        return shape;
    }

    public String inputName() {
        return inputName;
    }

    public String outputName() {
        return outputName;
    }

    public String penultimateName() {
        return penultimateName;
    }

    public int labels() {
        return labels;
    }

    public int penultimateSize() {
        return penultimateSize;
    }

    long[] outputShape() {
        return outputShape.clone();
    }

    long[] penultimateShape() {
        return penultimateShape.clone();
    }

    boolean closed() {
        return closed;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                session.close();
            } catch (OrtException e) {
                throw new IllegalStateException("could not close the ONNX Runtime session of " + source + ": "
                        + e.getMessage(), e);
            }
        }
    }
}
