package org.ncguard.mitigate.patch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ncguard.data.Batch;
import org.ncguard.data.DataSources;
import org.ncguard.data.ImageSource;
import org.ncguard.data.Preprocessor;
import org.ncguard.data.Trigger;
import org.ncguard.data.TriggerSpec;
import org.ncguard.engine.NativeThreads;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.OrtScorer;
import org.ncguard.engine.ScorerOptions;
import org.ncguard.lab.Architecture;
import org.ncguard.lab.Attack;
import org.ncguard.mitigate.Penultimates;

/** Unlearning's twin term: stamped copies join their batch beside their originals and are pulled to them. */
class UnlearnerTest {

    private static final String DATA = "builtin:signs?n=192";

    @Test
    void aStampedCopyJoinsTheBatchBesideItsTwin() throws Exception {
        try (ImageSource data = DataSources.open(DATA)) {
            Trigger square = TriggerSpec.parse("square:4:white:bottom-right").build(data.shape());
            Batch images = data.batch(range(32));
            StampedShareSource source = new StampedShareSource("t", images, 43, List.of(square), 0.25, 3,
                    new StampedShareSource.Twinning(1, new float[] {1}));
            Batch batch = source.batch(range(32));
            int[] twins = source.twins(batch.count());
            assertEquals(40, batch.count(), "8 stamped copies (a quarter of 32) beside the 32 originals");
            assertTrue(Arrays.stream(twins, 0, 32).allMatch(t -> t == -1), "the originals are unstamped");
            for (int row = 32; row < 40; row++) {
                int twin = twins[row];
                assertEquals(batch.labels()[twin], batch.labels()[row], "a copy keeps its true label");
                assertArrayEquals(square.stamped(images.image(twin)), batch.image(row));
                assertArrayEquals(images.image(twin), batch.image(twin));
            }
        }
    }

    @Test
    void theTwinTermMakesTheNetworkBlindToTheTrigger() throws Exception {
        NativeThreads.configure(1);
        try (ImageSource data = DataSources.open(DATA)) {
            Preprocessor pre = new Preprocessor(Attack.inputFor(data.shape()));
            OnnxModel model = OnnxModel.fromBytes("t",
                    Architecture.MNIST.build(pre.target(), 43, 5).toByteArray());
            Trigger square = TriggerSpec.parse("square:6:white:bottom-right").build(pre.target());
            double plain = triggerShift(model, data, pre, square, 0);
            double twinned = triggerShift(model, data, pre, square, 10);
            assertTrue(twinned < plain / 2, "penultimate shift the trigger causes: " + twinned + " with the twin "
                    + "term, " + plain + " without");
        }
    }

    /** Mean absolute change the trigger makes to the penultimate activations, after unlearning with the twin term at {@code twinWeight}. */
    private static double triggerShift(OnnxModel model, ImageSource data, Preprocessor pre, Trigger trigger,
            double twinWeight) throws Exception {
        Unlearner unlearner = new Unlearner(new UnlearnSettings(1, 0.5, 2, 16, 1e-3, 1, twinWeight, false, 7));
        Batch images = unlearner.trainingImages(model, data);
        ScorerOptions threads = new ScorerOptions(1);
        float[] unitScale = Unlearner.unitScale(model, images, pre, threads);
        OnnxModel trained = OnnxModel.fromBytes("u", unlearner.run(model, images, "t", pre, List.of(trigger),
                unitScale).toByteArray());
        try (OrtScorer scorer = new OrtScorer(trained, threads)) {
            float[][] clean = Penultimates.of(scorer, pre, images, null).rows();
            float[][] stamped = Penultimates.of(scorer, pre, images, trigger).rows();
            double sum = 0;
            for (int i = 0; i < clean.length; i++) {
                for (int u = 0; u < clean[i].length; u++) {
                    sum += Math.abs(stamped[i][u] - clean[i][u]);
                }
            }
            return sum / (clean.length * clean[0].length);
        }
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        Arrays.setAll(r, i -> i);
        return r;
    }
}
