package org.ncguard.reverse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.data.Batch;
import org.ncguard.data.ImageSource;
import org.ncguard.data.Preprocessor;
import org.ncguard.data.SignsSource;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;
import org.ncguard.engine.OnnxBuilder;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.OrtScorer;
import org.ncguard.engine.ScorerOptions;

/** The check's edge cases on a small random network; whether it tells planted from natural is in DetectionTest. */
class NaturalFeatureCheckTest {

    @Test
    void labelWithoutCleanSamplesCannotBeShownNaturalAndSharesAreRepeatable(@TempDir Path dir)
            throws Exception {
        ImageShape shape = new ImageShape(3, 32, 32, Layout.NCHW);
        Path file = dir.resolve("four.onnx");
        OnnxBuilder.image(shape, 13, 5).conv(4, 3, 2, 1).relu().maxPool(2).view().dense(16).relu().dense(4).write(file);
        OnnxModel model = OnnxModel.load(file);
        try (ImageSource signs = new SignsSource(3, SignsSource.Split.TEST, 60);
                OrtScorer scorer = new OrtScorer(model, new ScorerOptions(1))) {
            Batch batch = signs.batch(IntStream.range(0, 60).toArray());
            // The label the model predicts most often gets no clean samples: the empty trigger reaches it from
            // many images, and no neighbour can vote for it.
            int[] predicted = new int[4];
            scorer.score(new Preprocessor(shape).apply(batch), 60).forEach(s -> predicted[s.predicted()]++);
            int absent = IntStream.range(0, 4).reduce((a, b) -> predicted[a] >= predicted[b] ? a : b).orElseThrow();
            int[] present = IntStream.range(0, 4).filter(l -> l != absent).toArray();
            int[] labels = IntStream.range(0, 60).map(i -> present[i % 3]).toArray();
            NaturalFeatureCheck check = new NaturalFeatureCheck(scorer, new Preprocessor(shape), shape, batch.pixels(),
                    labels);
            float[] none = new float[32 * 32];
            float[] pattern = new float[3 * 32 * 32];
            assertEquals(0.0, check.naturalShare(new ReversedTrigger(absent, 3, 32, 32, none, pattern)), 0.0);

            // Every label's share lies in [0, 1] and does not depend on the order of the calls.
            float[] half = new float[32 * 32];
            Arrays.fill(half, 0.5f);
            Arrays.fill(pattern, 0.8f);
            double[] first = new double[4];
            for (int label = 0; label < 4; label++) {
                first[label] = check.naturalShare(new ReversedTrigger(label, 3, 32, 32, half, pattern));
                assertTrue(first[label] >= 0 && first[label] <= 1, "label " + label + ": " + first[label]);
            }
            assertEquals(first[1], check.naturalShare(new ReversedTrigger(1, 3, 32, 32, half, pattern)), 0.0);
        }
    }
}
