package org.ncguard.guard.bench;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ncguard.avro.InferenceRequest;
import org.ncguard.avro.Tensor;
import org.ncguard.data.ImageSource;
import org.ncguard.data.Trigger;
import org.ncguard.engine.ImageShape;

/**
 * Requests made of a data source's images as raw 8-bit pixels ([H, W, C], as image files hold them), a share of them
 * stamped with a trigger; images of the trigger's target are never stamped, since stamping them is no attack. Request
 * {@code i} is keyed {@link PacedSender#key(int) key(i)} and says in its metadata whether it carries the trigger.
 * Shared by the demo and {@code send}.
 *
 * @param requests  one per request, in sending order
 * @param triggered whether each carries the trigger
 */
public record Traffic(List<InferenceRequest> requests, boolean[] triggered) {

    /**
     * @param images  the first {@code count} images are used, in order
     * @param trigger stamped on a share of them; null for none
     * @param target  the trigger's target label (its images stay clean); -1 for none
     * @param share   the share of the other images stamped, drawn with {@code seed}
     */
    public static Traffic of(ImageSource images, int count, Trigger trigger, int target, double share,
            String modelId, long seed) {
        if (count > images.count()) {
            throw new IllegalArgumentException(images.name() + " has " + images.count() + " images, " + count
                    + " asked");
        }
        InferenceRequest[] requests = new InferenceRequest[count];
        boolean[] triggered = new boolean[count];
        SplittableRandom random = new SplittableRandom(seed);
        ImageShape shape = images.shape();
        float[] pixels = new float[shape.size()];
        for (int i = 0; i < count; i++) {
            images.read(i, pixels, 0);
            triggered[i] = trigger != null && images.label(i) != target && random.nextDouble() < share;
            if (triggered[i]) {
                trigger.stampInPlace(pixels, 0);
            }
            requests[i] = new InferenceRequest(PacedSender.key(i), modelId, Instant.now(), tensor(pixels, shape),
                    null, Map.of("traffic", triggered[i] ? "triggered" : "clean"));
        }
        return new Traffic(List.of(requests), triggered);
    }

    /** Canonical CHW pixels in [0, 1] as an 8-bit [H, W, C] tensor. */
    private static Tensor tensor(float[] chw, ImageShape shape) {
        int c = shape.channels();
        int h = shape.height();
        int w = shape.width();
        byte[] hwc = new byte[shape.size()];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    hwc[(y * w + x) * c + ch] = (byte) Math.round(255 * chw[(ch * h + y) * w + x]);
                }
            }
        }
        return new Tensor("UINT8", List.of((long) h, (long) w, (long) c), ByteBuffer.wrap(hwc));
    }

    public int count() {
        return requests.size();
    }

    public int triggeredCount() {
        int n = 0;
        for (boolean t : triggered) {
            if (t) {
                n++;
            }
        }
        return n;
    }
}
