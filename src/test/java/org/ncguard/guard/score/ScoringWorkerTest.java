package org.ncguard.guard.score;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.avro.Tensor;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;
import org.ncguard.engine.OnnxBuilder;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.OrtScorer;
import org.ncguard.engine.ScorerOptions;
import org.ncguard.engine.Scores;
import org.ncguard.guard.DlqReason;
import org.ncguard.guard.MalformedRequestException;
import org.ncguard.profile.InputSpec;
import org.ncguard.testing.ModelFixtures;

/**
 * The worker's reused buffers and pinned outputs give what the engine's scorer gives, for RGB images in both layouts:
 * HWC pixels land in the model's channel order.
 */
class ScoringWorkerTest {

    @TempDir
    Path dir;

    private static byte[] pixels(int n, int seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    /** The model input for HWC bytes, computed the slow obvious way. */
    private static float[] modelInput(byte[] hwc, ImageShape s, float scale, float[] mean, float[] std) {
        float[] out = new float[s.size()];
        for (int y = 0; y < s.height(); y++) {
            for (int x = 0; x < s.width(); x++) {
                for (int c = 0; c < s.channels(); c++) {
                    int p = hwc[(y * s.width() + x) * s.channels() + c] & 0xFF;
                    out[s.index(c, y, x)] = (p * scale - mean[c]) / std[c];
                }
            }
        }
        return out;
    }

    private static Tensor uint8(ImageShape s, byte[] hwc) {
        return new Tensor("UINT8", List.of((long) s.height(), (long) s.width(), (long) s.channels()),
                ByteBuffer.wrap(hwc));
    }

    private void checkAgainstTheEngine(Path file) throws Exception {
        OnnxModel model = OnnxModel.load(file);
        ImageShape s = model.input().shape();
        float[] mean = {0.4f, 0.5f, 0.6f};
        float[] std = {0.2f, 0.25f, 0.3f};
        PixelTable table = PixelTable.of(new InputSpec(model.input().name(), s.layout().name(), 3, s.height(),
                s.width(), 1f / 255f, mean, std));
        try (ModelRunner runner = new ModelRunner("m", model, 1); ScoringWorker w = runner.newWorker();
                OrtScorer scorer = new OrtScorer(model, new ScorerOptions(1))) {
            for (int seed = 0; seed < 3; seed++) {
                byte[] hwc = pixels(s.size(), seed);
                float[] input = modelInput(hwc, s, 1f / 255f, mean, std);
                Scores expected = scorer.score(input, 1).get(0);
                int predicted = w.score(uint8(s, hwc), table);
                assertArrayEquals(expected.penultimate(), w.activations(), 1e-5f, "UINT8, seed " + seed);
                assertEquals(expected.predicted(), predicted);

                ByteBuffer fp = ByteBuffer.allocate(input.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                fp.asFloatBuffer().put(input);
                long[] dims = s.batchShape(1);
                List<Long> shape = new ArrayList<>();
                for (int i = 1; i < dims.length; i++) {
                    shape.add(dims[i]);
                }
                w.score(new Tensor("FP32", shape, fp), table);
                assertArrayEquals(expected.penultimate(), w.activations(), 1e-6f, "FP32, seed " + seed);
            }
        }
    }

    @Test
    void rgbChannelsFirstModelScoresAsTheEngineDoes() throws Exception {
        Path file = dir.resolve("rgb-nchw.onnx");
        OnnxBuilder.image(new ImageShape(3, 12, 10, Layout.NCHW), 13, 5).conv(4, 3, 1, 1).relu().maxPool(2)
                .view().dense(8).relu().dense(4).write(file);
        checkAgainstTheEngine(file);
    }

    @Test
    void rgbChannelsLastModelScoresAsTheEngineDoes() throws Exception {
        checkAgainstTheEngine(ModelFixtures.nhwc(dir));
    }

    @Test
    void aClosedWorkerOrRunnerFailsLoudly() throws Exception {
        OnnxModel model = OnnxModel.load(ModelFixtures.nhwc(dir));
        ModelRunner runner = new ModelRunner("m", model, 1);
        ScoringWorker w = runner.newWorker();
        w.close();
        ImageShape s = model.input().shape();
        assertThrows(IllegalStateException.class, () -> w.score(uint8(s, pixels(s.size(), 1)),
                PixelTable.unitRange(3)));
        runner.close();
        assertThrows(IllegalStateException.class, runner::newWorker);
        MalformedRequestException e = assertThrows(MalformedRequestException.class, () -> {
            try (ModelRunner r = new ModelRunner("m", model, 1); ScoringWorker x = r.newWorker()) {
                x.score(new Tensor("UINT8", List.of(16L, 16L, 1L), ByteBuffer.wrap(new byte[256])),
                        PixelTable.unitRange(3));
            }
        });
        assertEquals(DlqReason.WRONG_SHAPE, e.reason());
    }
}
