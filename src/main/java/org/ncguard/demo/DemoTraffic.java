package org.ncguard.demo;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ncguard.NcguardException;
import org.ncguard.avro.InferenceRequest;
import org.ncguard.avro.Tensor;
import org.ncguard.data.DataSources;
import org.ncguard.data.ImageSource;
import org.ncguard.data.Trigger;
import org.ncguard.data.TriggerSpec;
import org.ncguard.engine.ImageShape;
import org.ncguard.guard.bench.PacedSender;

/**
 * The demo's requests: fresh sign images as raw 8-bit pixels ([H, W, C], as image files hold them), a share of them
 * stamped with the real trigger. Images of the target label are never stamped: stamping them is no attack.
 *
 * @param requests  one per request, in sending order
 * @param triggered whether each carries the trigger
 */
record DemoTraffic(List<InferenceRequest> requests, boolean[] triggered) {

    static DemoTraffic generate(int count, double triggeredShare, String modelId, long seed) throws NcguardException {
        InferenceRequest[] requests = new InferenceRequest[count];
        boolean[] triggered = new boolean[count];
        SplittableRandom random = new SplittableRandom(seed);
        try (ImageSource images = DataSources.open(DemoModel.TRAFFIC_DATA + "&n=" + count)) {
            ImageShape shape = images.shape();
            Trigger trigger = TriggerSpec.parse(DemoModel.TRIGGER).build(shape);
            float[] pixels = new float[shape.size()];
            for (int i = 0; i < count; i++) {
                images.read(i, pixels, 0);
                triggered[i] = images.label(i) != DemoModel.TARGET && random.nextDouble() < triggeredShare;
                if (triggered[i]) {
                    trigger.stampInPlace(pixels, 0);
                }
                requests[i] = new InferenceRequest(PacedSender.key(i), modelId, Instant.now(), tensor(pixels, shape), null,
                        Map.of("demo", triggered[i] ? "triggered" : "clean"));
            }
        }
        return new DemoTraffic(List.of(requests), triggered);
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

    int count() {
        return requests.size();
    }

    int triggeredCount() {
        int n = 0;
        for (boolean t : triggered) {
            if (t) {
                n++;
            }
        }
        return n;
    }
}
