package org.ncguard.reverse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.backprop.InputGradients;
import org.ncguard.testing.ModelFixtures;

/** The trigger's gradients (stamping, preprocessing and layout, by hand) agree with finite differences of its loss. */
class StampedBatchTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"mnist", "nhwc"})
    void triggerGradientsMatchFiniteDifferences(String fixture) throws Exception {
        OnnxModel model = OnnxModel.load(fixture.equals("mnist") ? ModelFixtures.mnist(dir, 13) : ModelFixtures.nhwc(dir));
        ImageShape shape = model.input().shape();
        int batch = 4;
        int n = 8;
        int c = shape.channels();
        float[] gain = new float[c];
        float[] offset = new float[c];
        for (int i = 0; i < c; i++) {
            gain[i] = 2f + i;       // a [-1, 1]-style preprocessing, different per channel
            offset[i] = -1f + 0.1f * i;
        }
        SplittableRandom random = new SplittableRandom(5);
        float[] images = new float[n * shape.size()];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) random.nextDouble();
        }
        // Each trigger has its own image order: trigger 1 (whose gradient is checked) reads the images backwards.
        List<int[]> indices = List.of(IntStream.range(0, n).toArray(), IntStream.range(0, n).map(i -> n - 1 - i)
                .toArray());
        int[] labels = {1, 2};
        ReverseSettings settings = ReverseSettings.defaults();
        int area = shape.height() * shape.width();
        List<TriggerParameters> triggers = List.of(new TriggerParameters(area, c, new SplittableRandom(1), settings),
                new TriggerParameters(area, c, new SplittableRandom(2), settings));
        double cost = 1e-3;
        StampedBatch stamped = new StampedBatch(shape, model.labels(), gain, offset, batch, 2);
        try (InputGradients engine = InputGradients.open(model, 1)) {
            stamped.fill(images, indices, 4, triggers, labels);
            stamped.run(engine);
            float[] maskGradient = new float[area];
            float[] patternGradient = new float[shape.size()];
            stamped.gradients(1, triggers.get(1), cost, maskGradient, patternGradient);

            TriggerParameters t = triggers.get(1);
            for (int k : largest(maskGradient, 3)) {
                double numeric = centralDifference(t.mask, k, () -> loss(stamped, engine, images, indices, triggers,
                        labels, batch, model.labels(), cost));
                assertClose(numeric, maskGradient[k], "mask[" + k + "]");
            }
            for (int k : largest(patternGradient, 3)) {
                double numeric = centralDifference(t.pattern, k, () -> loss(stamped, engine, images, indices, triggers,
                        labels, batch, model.labels(), cost));
                assertClose(numeric, patternGradient[k], "pattern[" + k + "]");
            }
        }
    }

    /** Trigger 1's loss: mean cross-entropy of its stamped batch to its label, plus cost x L1. */
    private static double loss(StampedBatch stamped, InputGradients engine, float[] images, List<int[]> indices,
            List<TriggerParameters> triggers, int[] labels, int batch, int classes, double cost) {
        stamped.fill(images, indices, 4, triggers, labels);
        stamped.run(engine);
        double sum = 0;
        for (int i = 0; i < batch; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < classes; j++) {
                max = Math.max(max, stamped.logit(1, i, j));
            }
            double z = 0;
            for (int j = 0; j < classes; j++) {
                z += Math.exp(stamped.logit(1, i, j) - max);
            }
            sum += max + Math.log(z) - stamped.logit(1, i, labels[1]);
        }
        double l1 = 0;
        for (float m : triggers.get(1).mask) {
            l1 += m;
        }
        return sum / batch + cost * l1;
    }

    private static double centralDifference(float[] values, int k, java.util.function.DoubleSupplier loss) {
        float h = 1e-3f;
        float saved = values[k];
        values[k] = saved + h;
        double up = loss.getAsDouble();
        values[k] = saved - h;
        double down = loss.getAsDouble();
        values[k] = saved;
        return (up - down) / (2 * h);
    }

    private static int[] largest(float[] v, int count) {
        return IntStream.range(0, v.length).boxed()
                .sorted((a, b) -> Float.compare(Math.abs(v[b]), Math.abs(v[a])))
                .limit(count).mapToInt(Integer::intValue).toArray();
    }

    private static void assertClose(double numeric, double analytic, String what) {
        assertTrue(Math.abs(analytic) > 1e-6, what + " gradient is ~0: nothing tested");
        assertEquals(numeric, analytic, 0.05 * Math.abs(analytic) + 1e-5, what + ": finite difference vs analytic");
    }
}
