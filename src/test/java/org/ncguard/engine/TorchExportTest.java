package org.ncguard.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.ncguard.engine.translate.GraphTranslator;
import org.ncguard.testing.TorchFixtures;
import org.ncguard.testing.TorchFixtures.Fixture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The engine on what torch.onnx really emits: analysis, ORT outputs, SameDiff parity and input gradients. */
class TorchExportTest {

    static List<Fixture> fixtures() {
        return TorchFixtures.fixtures();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void analysisMatchesWhatPyTorchExported(Fixture f) throws Exception {
        OnnxModel model = OnnxModel.load(f.file());
        JsonNode spec = f.spec();
        assertEquals(spec.get("input").get("name").asText(), model.input().name());
        assertEquals(spec.get("input").get("layout").asText(), model.input().shape().layout().name());
        assertEquals(spec.get("labels").asInt(), model.labels());
        assertEquals(spec.get("output").asText(), model.outputKind().json());
        assertEquals(spec.get("penultimateSize").asInt(), model.penultimate().size());
        assertEquals(spec.get("opset").asLong(), model.opset());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void ortAndSameDiffReproducePyTorchOutputs(Fixture f) throws Exception {
        OnnxModel model = OnnxModel.load(f.file());
        JsonNode samples = f.spec().get("samples");
        float[] input = TorchFixtures.floats(samples.get("input"));
        float[] expected = TorchFixtures.floats(samples.get("output"));
        int n = samples.get("shape").get(0).asInt();
        try (OrtScorer scorer = new OrtScorer(model, new ScorerOptions(1))) {
            List<Scores> scores = scorer.score(input, n);
            assertClose(expected, concat(scores.stream().map(Scores::output).toList()), "ORT vs PyTorch");
            assertEquals(model.penultimate().size(), scores.get(0).penultimate().length);
            DifferentiableModel graph = GraphTranslator.translate(model);
            ParityResult parity = ParityCheck.compare(graph, scorer, input, n);
            assertTrue(parity.ok(), "SameDiff vs ORT: " + parity);
            ParityResult random = ParityCheck.run(graph, scorer, 3, 7);
            assertTrue(random.ok(), "SameDiff vs ORT on random inputs: " + random);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void inputGradientMatchesPyTorch(Fixture f) throws Exception {
        OnnxModel model = OnnxModel.load(f.file());
        JsonNode samples = f.spec().get("samples");
        int n = samples.get("shape").get(0).asInt();
        int target = samples.get("gradTarget").asInt();
        INDArray batch = Nd4j.create(TorchFixtures.floats(samples.get("input")), model.input().shape().batchShape(n), 'c');
        SameDiff sd = SameDiff.create();
        SDVariable image = sd.var("image", batch);
        DifferentiableModel graph = GraphTranslator.translate(model, sd, image);
        SDVariable loss = sd.sum("loss", graph.output().get(SDIndex.all(), SDIndex.point(target)));
        sd.setLossVariables(loss);
        Map<String, INDArray> grads = sd.calculateGradients(Map.of(), image.name());
        float[] actual = grads.get(image.name()).dup('c').data().asFloat();
        assertClose(TorchFixtures.floats(samples.get("inputGrad")), actual, "dLoss/dInput vs PyTorch");
    }

    static float[] concat(List<float[]> rows) {
        int size = rows.stream().mapToInt(r -> r.length).sum();
        float[] all = new float[size];
        int at = 0;
        for (float[] r : rows) {
            System.arraycopy(r, 0, all, at, r.length);
            at += r.length;
        }
        return all;
    }

    /** Equal within 1e-4 of the larger of 1 and the largest expected magnitude. */
    static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 1;
        double maxDiff = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(maxDiff <= 1e-4 * scale, what + ": max abs diff " + maxDiff + " at scale " + scale);
    }
}
