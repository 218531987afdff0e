package org.ncguard.mitigate.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.OnnxTensors;
import org.ncguard.engine.OrtScorer;
import org.ncguard.engine.ScorerOptions;
import org.ncguard.engine.Scores;
import org.ncguard.onnx.Onnx.ModelProto;
import org.ncguard.testing.ModelFixtures;

/** Pruning edits initializer values only, and a pruned unit really stops contributing. */
class PrunableLayerTest {

    @TempDir
    Path dir;

    @Test
    void penultimateNeuronsAreTheColumnsTheLastDenseLayerReads() throws Exception {
        OnnxModel model = OnnxModel.load(ModelFixtures.mnist(dir, 13));
        PrunableLayer layer = PrunableLayer.of(model, PruneLayer.PENULTIMATE);
        assertEquals(512, layer.units());
        assertEquals(model.penultimate().tensor(), layer.activation());
        PrunableLayer.Slice slice = layer.slices().get(0);
        ModelProto pruned = layer.zeroed(model, new int[] {3, 100});
        assertEquals(List.of(), GraphIdentity.differences(model.proto(), pruned));
        float[][] w = weights(pruned, slice.initializer());
        float[][] before = weights(model.proto(), slice.initializer());
        for (int out = 0; out < (slice.axis() == 1 ? w.length : w[0].length); out++) {
            assertEquals(0f, slice.axis() == 1 ? w[out][3] : w[3][out]);
            assertEquals(0f, slice.axis() == 1 ? w[out][100] : w[100][out]);
            assertEquals(slice.axis() == 1 ? before[out][4] : before[4][out],
                    slice.axis() == 1 ? w[out][4] : w[4][out]);
        }
    }

    @Test
    void aPrunedConvChannelBehindBatchNormOutputsZero() throws Exception {
        OnnxModel model = OnnxModel.load(ModelFixtures.gtsrb(dir));
        PrunableLayer layer = PrunableLayer.of(model, PruneLayer.CONV);
        assertEquals(128, layer.units());
        assertEquals(4, layer.slices().size(), "conv weight and bias, batch norm scale and shift: " + layer.slices());
        int[] channels = {0, 5, 127};
        OnnxModel pruned = OnnxModel.fromBytes("pruned", layer.zeroed(model, channels).toByteArray());
        assertEquals(List.of(), GraphIdentity.differences(model.proto(), pruned.proto()));
        float[] image = new float[model.input().shape().size()];
        for (int i = 0; i < image.length; i++) {
            image[i] = (float) Math.sin(i * 0.37) * 0.5f + 0.5f;
        }
        try (LayerActivations activations = new LayerActivations(pruned, layer.activation(), new ScorerOptions(1));
                OrtScorer scorer = new OrtScorer(pruned, new ScorerOptions(1))) {
            org.ncguard.data.Batch batch = new org.ncguard.data.Batch(image, new int[] {0},
                    org.ncguard.mitigate.ModelImages.canonical(model.input().shape()));
            float[] row = activations.of(new org.ncguard.data.Preprocessor(model.input().shape(), 1f, null, null),
                    batch, null).rows()[0];
            for (int c : channels) {
                assertEquals(0f, row[c], "channel " + c);
            }
            assertTrue(row[1] != 0f || row[2] != 0f, "other channels still work");
            List<Scores> scores = scorer.score(image, 1);
            assertEquals(43, scores.get(0).output().length);
        }
    }

    private static float[][] weights(ModelProto model, String name) {
        return OnnxTensors.toArray(model.getGraph().getInitializerList().stream()
                .filter(t -> t.getName().equals(name)).findFirst().orElseThrow()).toFloatMatrix();
    }
}
