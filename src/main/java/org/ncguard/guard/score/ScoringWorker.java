package org.ncguard.guard.score;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.ncguard.avro.Tensor;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;
import org.ncguard.guard.DlqReason;
import org.ncguard.guard.MalformedRequestException;

/**
 * Scores one request at a time for one stream task, with buffers made once: the input tensor wraps a direct buffer
 * the request is written into, and the output and penultimate tensors are pinned outputs ONNX Runtime writes into.
 * Not thread-safe; one per task.
 */
public final class ScoringWorker implements AutoCloseable {

    private final ModelRunner model;
    private final OrtSession session;
    private final ImageShape shape;
    private final FloatBuffer input;
    private final FloatBuffer output;
    private final FloatBuffer penultimate;
    private final OnnxTensor inputTensor;
    private final OnnxTensor outputTensor;
    private final OnnxTensor penultimateTensor;
    private final Map<String, OnnxTensor> inputs;
    private final Map<String, OnnxTensor> pinned;
    private final float[] staging;
    private final float[] logits;
    private final float[] activations;
    private final long[] imageDims;
    private boolean closed;

    ScoringWorker(ModelRunner model, OrtEnvironment env, OrtSession session, FloatBuffer input, FloatBuffer output,
                  FloatBuffer penultimate) throws OrtException {
        this.model = model;
        this.session = session;
        this.shape = model.shape();
        this.input = input;
        this.output = output;
        this.penultimate = penultimate;
        this.inputTensor = OnnxTensor.createTensor(env, input, shape.batchShape(1));
        this.outputTensor = OnnxTensor.createTensor(env, output, model.outputShape());
        this.penultimateTensor = OnnxTensor.createTensor(env, penultimate, model.penultimateShape());
        this.inputs = Map.of(model.inputName(), inputTensor);
        this.pinned = Map.of(model.outputName(), outputTensor, model.penultimateName(), penultimateTensor);
        this.staging = new float[shape.size()];
        this.logits = new float[model.labels()];
        this.activations = new float[model.penultimateSize()];
        long[] batch = shape.batchShape(1);
        this.imageDims = Arrays.copyOfRange(batch, 1, batch.length);
    }

    public ModelRunner model() {
        return model;
    }

    /**
     * Runs the model on a request's tensor and returns the predicted label; {@link #activations()} then holds the
     * penultimate activations.
     *
     * @param table how UINT8 pixels become model input (the profile's preprocessing)
     * @throws MalformedRequestException when the tensor is not one image of the model's input
     */
    public int score(Tensor tensor, PixelTable table) {
        if (closed) {
            throw new IllegalStateException("scoring worker of " + model.id() + " is closed");
        }
        String datatype = tensor.getDatatype();
        if ("UINT8".equals(datatype)) {
            writePixels(tensor, table);
        } else if ("FP32".equals(datatype)) {
            writeFloats(tensor);
        } else {
            throw new MalformedRequestException(DlqReason.WRONG_DATATYPE, "tensor datatype must be UINT8 or FP32, "
                    + "found '" + datatype + "'");
        }
        input.put(0, staging);
        try {
            session.run(inputs, pinned).close(); // the pinned outputs now hold the results; the Result owns nothing
            output.get(0, logits);
            penultimate.get(0, activations);
        } catch (OrtException | RuntimeException e) {
            throw new MalformedRequestException(DlqReason.SCORING_FAILED, "ONNX Runtime failed on " + model.source()
                    + ": " + e.getMessage(), e);
        }
        for (float a : activations) {
            if (!Float.isFinite(a)) {
                throw new MalformedRequestException(DlqReason.NON_FINITE, "the model's penultimate activations are "
                        + "not finite for this input");
            }
        }
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * Takes activations computed by the serving system; {@link #activations()} then holds them.
     *
     * @throws MalformedRequestException when there are not as many as the penultimate layer has, or one is not finite
     */
    public void useActivations(List<Float> given) {
        if (given.size() != activations.length) {
            throw new MalformedRequestException(DlqReason.WRONG_SHAPE, "expected " + activations.length
                    + " penultimate activations for model " + model.id() + ", found " + given.size());
        }
        for (int i = 0; i < activations.length; i++) {
            Float v = given.get(i);
            if (v == null || !Float.isFinite(v)) {
                throw new MalformedRequestException(DlqReason.NON_FINITE, "activation " + i + " is " + v);
            }
            activations[i] = v;
        }
    }

    /** The last request's penultimate activations (this worker's own array, overwritten by the next request). */
    public float[] activations() {
        return activations;
    }

    private void writePixels(Tensor tensor, PixelTable table) {
        int h = shape.height();
        int w = shape.width();
        int c = shape.channels();
        long[] dims = checkedDims(tensor.getShape());
        ByteBuffer data = tensor.getData();
        checkSize(dims, data, 1);
        if (dims.length != 3 || dims[0] != h || dims[1] != w || dims[2] != c) {
            throw new MalformedRequestException(DlqReason.WRONG_SHAPE, "a UINT8 image for model " + model.id()
                    + " must have shape [" + h + ", " + w + ", " + c + "] (H, W, C), found " + Arrays.toString(dims));
        }
        if (table.channels() != c) {
            throw new IllegalStateException("pixel table has " + table.channels() + " channels, the model " + c);
        }
        int base = data.position();
        boolean nchw = shape.layout() == Layout.NCHW;
        int plane = h * w;
        for (int ch = 0; ch < c; ch++) {
            float[] lut = table.channel(ch);
            for (int p = 0; p < plane; p++) {
                float v = lut[data.get(base + p * c + ch) & 0xFF];
                staging[nchw ? ch * plane + p : p * c + ch] = v;
            }
        }
    }

    private void writeFloats(Tensor tensor) {
        long[] dims = checkedDims(tensor.getShape());
        ByteBuffer data = tensor.getData();
        checkSize(dims, data, Float.BYTES);
        long[] image = dims.length == imageDims.length + 1 && dims[0] == 1
                ? Arrays.copyOfRange(dims, 1, dims.length) : dims;
        if (!Arrays.equals(image, imageDims)) {
            throw new MalformedRequestException(DlqReason.WRONG_SHAPE, "an FP32 tensor for model " + model.id()
                    + " must have shape " + Arrays.toString(imageDims) + " (" + shape.layout()
                    + ", optionally with a batch of 1), found " + Arrays.toString(dims));
        }
        FloatBuffer floats = data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        floats.get(staging);
        for (int i = 0; i < staging.length; i++) {
            if (!Float.isFinite(staging[i])) {
                throw new MalformedRequestException(DlqReason.NON_FINITE, "tensor value " + i + " is " + staging[i]);
            }
        }
    }

    /** The shape as given, refusing non-positive dimensions and anything with more values than the model takes. */
    private long[] checkedDims(List<Long> given) {
        long[] dims = new long[given.size()];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            Long d = given.get(i);
            if (d == null || d < 1) {
                throw new MalformedRequestException(DlqReason.WRONG_SHAPE, "tensor dimensions must be positive, found "
                        + given);
            }
            dims[i] = d;
            if (count <= shape.size()) {
                count = d > shape.size() ? shape.size() + 1L : count * d;
            }
        }
        if (dims.length == 0) {
            throw new MalformedRequestException(DlqReason.WRONG_SHAPE, "tensor shape is empty");
        }
        if (count > shape.size()) {
            throw new MalformedRequestException(DlqReason.TOO_LARGE, "tensor of shape " + given + " has more values "
                    + "than model " + model.id() + "'s input " + shape + " (" + shape.size() + ")");
        }
        return dims;
    }

    private static void checkSize(long[] dims, ByteBuffer data, int elementBytes) {
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        if (data.remaining() != count * elementBytes) {
            throw new MalformedRequestException(DlqReason.WRONG_SIZE, "tensor of shape " + Arrays.toString(dims)
                    + " needs " + count * elementBytes + " bytes of data, found " + data.remaining());
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            inputTensor.close();
            outputTensor.close();
            penultimateTensor.close();
        }
    }
}
