package org.ncguard.mitigate.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.NcguardException;
import org.ncguard.data.Batch;
import org.ncguard.data.Preprocessor;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.OnnxTensors;
import org.ncguard.engine.OrtScorer;
import org.ncguard.engine.ScorerOptions;
import org.ncguard.engine.Scores;
import org.ncguard.mitigate.ModelImages;
import org.ncguard.onnx.Onnx.ModelProto;
import org.ncguard.onnx.Onnx.NodeProto;
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
        assertOnlyTheUnitsReadingWeightsAreZeroed(model, layer, new int[] {3, 100});
    }

    @Test
    void spatialUnitsAreTheFlattenedConvOutputTheFirstDenseLayerReads() throws Exception {
        OnnxModel model = OnnxModel.load(ModelFixtures.mnist(dir, 13));
        PrunableLayer layer = PrunableLayer.of(model, PruneLayer.SPATIAL);
        NodeProto dense = model.graph().consumers(layer.activation()).get(0);
        assertEquals("Gemm", dense.getOpType());
        assertEquals(layer.slices().get(0).initializer(), dense.getInput(1));
        assertTrue(model.graph().consumers(model.penultimate().tensor()).stream().noneMatch(dense::equals),
                "the first dense layer, not the one reading the penultimate");
        assertEquals(32 * 4 * 4, layer.units(), "32 channels at 4x4 positions");
        int[] pruned = {0, 15, 511};
        assertOnlyTheUnitsReadingWeightsAreZeroed(model, layer, pruned);
        try (LayerActivations activations = new LayerActivations(model, layer.activation(), new ScorerOptions(1))) {
            assertEquals(layer.units(), activations.of(new Preprocessor(model.input().shape(), 1f, null, null),
                    image(model), null).features());
        }
    }

    @Test
    void aModelWithoutConvolutionsHasNoSpatialUnits() throws Exception {
        OnnxModel model = OnnxModel.load(ModelFixtures.dense(dir));
        NcguardException e = assertThrows(NcguardException.class, () -> PrunableLayer.of(model, PruneLayer.SPATIAL));
        assertTrue(e.getMessage().contains("has no Conv node; use --layer penultimate"), e.getMessage());
    }

    /** Zeroing {@code units} zeroes what the dense layer reads of them and nothing else; the graph stays the same. */
    private static void assertOnlyTheUnitsReadingWeightsAreZeroed(OnnxModel model, PrunableLayer layer, int[] units) {
        PrunableLayer.Slice slice = layer.slices().get(0);
        ModelProto pruned = layer.zeroed(model, units);
        assertEquals(List.of(), GraphIdentity.differences(model.proto(), pruned));
        float[][] w = weights(pruned, slice.initializer());
        float[][] before = weights(model.proto(), slice.initializer());
        boolean byColumn = slice.axis() == 1;
        int outputs = byColumn ? w.length : w[0].length;
        Set<Integer> zeroed = Arrays.stream(units).boxed().collect(Collectors.toSet());
        for (int out = 0; out < outputs; out++) {
            for (int unit = 0; unit < layer.units(); unit++) {
                float value = byColumn ? w[out][unit] : w[unit][out];
                float was = byColumn ? before[out][unit] : before[unit][out];
                assertEquals(zeroed.contains(unit) ? 0f : was, value, "output " + out + ", unit " + unit);
            }
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
        try (LayerActivations activations = new LayerActivations(pruned, layer.activation(), new ScorerOptions(1));
                OrtScorer scorer = new OrtScorer(pruned, new ScorerOptions(1))) {
            Batch batch = image(model);
            float[] row = activations.of(new Preprocessor(model.input().shape(), 1f, null, null), batch, null)
                    .rows()[0];
            for (int c : channels) {
                assertEquals(0f, row[c], "channel " + c);
            }
            assertTrue(row[1] != 0f || row[2] != 0f, "other channels still work");
            List<Scores> scores = scorer.score(batch.pixels(), 1);
            assertEquals(43, scores.get(0).output().length);
        }
    }

    /** One smooth canonical test image in {@code model}'s shape. */
    private static Batch image(OnnxModel model) {
        float[] image = new float[model.input().shape().size()];
        for (int i = 0; i < image.length; i++) {
            image[i] = (float) Math.sin(i * 0.37) * 0.5f + 0.5f;
        }
        return new Batch(image, new int[] {0}, ModelImages.canonical(model.input().shape()));
    }

    private static float[][] weights(ModelProto model, String name) {
        return OnnxTensors.toArray(model.getGraph().getInitializerList().stream()
                .filter(t -> t.getName().equals(name)).findFirst().orElseThrow()).toFloatMatrix();
    }
}
