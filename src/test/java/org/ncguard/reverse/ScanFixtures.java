package org.ncguard.reverse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Synthetic scans and triggers for the tests: values chosen so that the statistics can be worked out by hand. */
final class ScanFixtures {

    /** A made-up SHA-256 (64 hex digits). */
    static final String SHA = "3f2a9c0d5b7e41f8a6c2d9e0b1f4a7c3e5d8b2a1f0c9e7d6b5a4c3d2e1f0a9b8";

    /**
     * L1 norms of the ten-label scan; label 9 did not converge.
     * Converged, sorted: 9 47 48 50 52 53 55 58 61 -> median 52.
     * |L1 - 52|: 0 4 9 3 43 2 6 5 1 -> sorted 0 1 2 3 4 5 6 9 43 -> median 4 -> MAD = 1.4826 * 4 = 5.9304.
     * Index of label 4: 43 / 5.9304 = 7.250776; of label 2: 9 / 5.9304 = 1.517604. Flag below 52 - 2 * 5.9304 =
     * 40.1392. Only label 4 is flagged.
     */
    static final Double[] TEN_L1 = {52.0, 48.0, 61.0, 55.0, 9.0, 50.0, 58.0, 47.0, 53.0, null};

    static final int FLAGGED_LABEL = 4;

    private ScanFixtures() {
    }

    static List<LabelResult> tenResults() {
        List<LabelResult> results = new ArrayList<>();
        for (int label = 0; label < TEN_L1.length; label++) {
            Double l1 = TEN_L1[label];
            results.add(l1 == null
                    ? LabelResult.notConverged(label, 0.62, 1000, 95.5)
                    : LabelResult.converged(label, l1, 0.99 + label / 1000.0, 100 + 7 * label, 10.25 + label));
        }
        return results;
    }

    static Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("steps", 1000);
        config.put("batchSize", 32);
        config.put("learningRate", 0.1);
        config.put("samples", 1000L);
        config.put("costSchedule", List.of(1e-3, 2.0, 2.8284271247461903));
        return config;
    }

    static ScanReport tenLabelReport() {
        return ScanReport.builder("badnets-mnist.onnx", SHA, 10)
                .results(tenResults())
                .config(config())
                .seed(42)
                .seconds(812.5)
                .createdAt(Instant.parse("2025-03-01T10:15:30.123Z"))
                .build();
    }

    /**
     * Ten labels whose only outlier, label 4 (L1 40 against a median of 52, anomaly index 8.09), is not much smaller
     * than the others: the natural-feature check may clear it. Its natural share is {@code naturalShare}.
     */
    static ScanReport moderateOutlierReport(double naturalShare) {
        List<LabelResult> results = new ArrayList<>();
        double[] l1 = {52, 51, 53, 50, 40, 54, 52, 51, 53, 55};
        for (int label = 0; label < l1.length; label++) {
            results.add(LabelResult.converged(label, l1[label], 0.99, 50, 1));
        }
        return ScanReport.builder("moderate.onnx", SHA, 10).results(results).build().toBuilder()
                .naturalShare(4, naturalShare).build();
    }

    /**
     * A 3x32x32 trigger per label. The flagged label gets the BadNets trigger: a white 4x4 square in the
     * bottom-right corner with a one-pixel margin. The others get a soft random blob with a random colour.
     */
    static ReversedTrigger trigger(int label) {
        int c = 3;
        int h = 32;
        int w = 32;
        float[] mask = new float[h * w];
        float[] pattern = new float[c * h * w];
        Random random = new Random(1000 + label);
        if (label == FLAGGED_LABEL) {
            for (int y = 27; y <= 30; y++) {
                for (int x = 27; x <= 30; x++) {
                    mask[y * w + x] = 1f;
                    for (int ch = 0; ch < c; ch++) {
                        pattern[(ch * h + y) * w + x] = 1f;
                    }
                }
            }
            return new ReversedTrigger(label, c, h, w, mask, pattern);
        }
        double cy = 6 + random.nextInt(20);
        double cx = 6 + random.nextInt(20);
        double radius = 4 + random.nextInt(4);
        float[] colour = {random.nextFloat(), random.nextFloat(), random.nextFloat()};
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double d2 = ((y - cy) * (y - cy) + (x - cx) * (x - cx)) / (radius * radius);
                mask[y * w + x] = (float) Math.exp(-d2);
                for (int ch = 0; ch < c; ch++) {
                    float noise = random.nextFloat() * 0.3f;
                    pattern[(ch * h + y) * w + x] = Math.min(1f, colour[ch] * 0.7f + noise);
                }
            }
        }
        return new ReversedTrigger(label, c, h, w, mask, pattern);
    }
}
