package org.ncguard.guard;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ncguard.avro.InferenceRequest;
import org.ncguard.avro.Tensor;

/** Requests as a client (the demo, a test, a serving system) writes them to the requests topic. */
public final class InferenceRequests {

    private InferenceRequests() {
    }

    /**
     * An image as raw 8-bit pixels, shape [H, W, C], row by row with channels interleaved (the layout of image files);
     * the guard preprocesses it as the model's profile says.
     */
    public static InferenceRequest image(String id, String modelId, int height, int width, int channels, byte[] hwc) {
        if ((long) height * width * channels != hwc.length) {
            throw new IllegalArgumentException("an image of " + height + "x" + width + "x" + channels + " needs "
                    + (long) height * width * channels + " bytes, found " + hwc.length);
        }
        return new InferenceRequest(id, modelId, Instant.now(), new Tensor("UINT8",
                List.of((long) height, (long) width, (long) channels), ByteBuffer.wrap(hwc.clone())), null, Map.of());
    }

    /** The model's own input, already preprocessed, in the model's layout, without the batch dimension. */
    public static InferenceRequest modelInput(String id, String modelId, long[] shape, float[] values) {
        ByteBuffer data = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(values);
        List<Long> dims = new ArrayList<>();
        for (long d : shape) {
            dims.add(d);
        }
        return new InferenceRequest(id, modelId, Instant.now(), new Tensor("FP32", dims, data), null, Map.of());
    }

    /** Penultimate activations computed by the serving system: scored without running the model. */
    public static InferenceRequest activations(String id, String modelId, float[] activations) {
        List<Float> list = new ArrayList<>(activations.length);
        for (float a : activations) {
            list.add(a);
        }
        return new InferenceRequest(id, modelId, Instant.now(), null, list, Map.of());
    }
}
