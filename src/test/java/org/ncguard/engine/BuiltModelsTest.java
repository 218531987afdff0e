package org.ncguard.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.AtomicFiles;
import org.ncguard.engine.translate.GraphTranslator;
import org.ncguard.onnx.Onnx.ModelProto;
import org.ncguard.onnx.Onnx.NodeProto;
import org.ncguard.testing.ModelFixtures;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The builder's fixtures: analysis, parity with ONNX Runtime, gradients, and rewriting initializers. */
class BuiltModelsTest {

    @TempDir
    Path dir;

    @Test
    void mnistShapedNetIsAnalysedAndTranslatedAtEveryOpset() throws Exception {
        for (long opset : new long[] {11, 13, 17}) {
            OnnxModel model = OnnxModel.load(ModelFixtures.mnist(dir, opset));
            assertEquals(Layout.NCHW, model.input().shape().layout());
            assertEquals(10, model.labels());
            assertEquals(OutputKind.LOGITS, model.outputKind());
            assertEquals(512, model.penultimate().size());
            assertParity(model);
        }
    }

    @Test
    void gtsrbShapedNetWithBatchNormAndSoftmax() throws Exception {
        OnnxModel model = OnnxModel.load(ModelFixtures.gtsrb(dir));
        assertEquals(43, model.labels());
        assertEquals(OutputKind.PROBABILITIES, model.outputKind());
        assertNotEquals(model.outputName(), model.logitsName());
        assertTrue(model.ops().containsAll(List.of("BatchNormalization", "Shape", "Gather", "Unsqueeze", "Concat", "Reshape")));
        assertParity(model);
    }

    @Test
    void channelsLastInputIsRecognised() throws Exception {
        OnnxModel model = OnnxModel.load(ModelFixtures.nhwc(dir));
        assertEquals(new ImageShape(3, 16, 16, Layout.NHWC), model.input().shape());
        assertEquals(5, model.labels());
        assertParity(model);
    }

    @Test
    void inputGradientMatchesFiniteDifferences() throws Exception {
        OnnxModel model = OnnxModel.load(ModelFixtures.mnist(dir, 13));
        SplittableRandom random = new SplittableRandom(5);
        int size = model.input().shape().size();
        INDArray image = Nd4j.createFromArray(random.doubles(size).toArray()).castTo(DataType.FLOAT)
                .reshape(model.input().shape().batchShape(1));
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", image);
        DifferentiableModel graph = GraphTranslator.translate(model, sd, x);
        // A one-hot product, not a slice: strided_slice backprop is wrong for a batch of one in ND4J 1.0.0-M2.1.
        INDArray label3 = Nd4j.zeros(DataType.FLOAT, 1, model.labels()).putScalar(3, 1f);
        sd.setLossVariables(sd.sum("loss", graph.output().mul(sd.constant(label3))));
        INDArray gradient = sd.calculateGradients(Map.of(), "x").get("x");
        assertTrue(gradient.norm2Number().doubleValue() > 1e-3, "the gradient is not zero");
        // Directional derivatives along random unit directions: single pixels move a float32 loss too little.
        double eps = 1e-2;
        for (int trial = 0; trial < 4; trial++) {
            INDArray direction = Nd4j.createFromArray(random.doubles(size).map(d -> d - 0.5).toArray())
                    .castTo(DataType.FLOAT).reshape(image.shape());
            direction.divi(direction.norm2Number());
            double numeric = (lossAt(sd, x, image.add(direction.mul(eps))) - lossAt(sd, x, image.sub(direction.mul(eps))))
                    / (2 * eps);
            double analytic = gradient.mul(direction).sumNumber().doubleValue();
            assertEquals(numeric, analytic, 1e-3 + 2e-2 * Math.abs(numeric), "direction " + trial);
        }
    }

    private static double lossAt(SameDiff sd, SDVariable x, INDArray input) {
        INDArray original = x.getArr();
        x.setArray(input);
        double loss = sd.output(Map.of(), "loss").get("loss").getDouble(0);
        x.setArray(original);
        return loss;
    }

    @Test
    void rewrittenInitializersKeepGraphNamesAndOpset() throws Exception {
        OnnxModel model = OnnxModel.load(ModelFixtures.mnist(dir, 11));
        DifferentiableModel graph = GraphTranslator.translate(model);
        String lastBias = graph.parameters().keySet().stream().reduce((a, b) -> b).orElseThrow();
        INDArray bias = graph.parameterValues().get(lastBias).dup();
        bias.putScalar(7, 100f); // label 7 now wins everywhere
        Path patched = dir.resolve("patched.onnx");
        AtomicFiles.write(patched, OnnxTensors.withInitializers(model.proto(), Map.of(lastBias, bias)).toByteArray());

        OnnxModel reloaded = OnnxModel.load(patched);
        assertEquals(model.opset(), reloaded.opset());
        assertEquals(model.proto().getGraph().getNodeList().stream().map(NodeProto::getName).toList(),
                reloaded.proto().getGraph().getNodeList().stream().map(NodeProto::getName).toList());
        try (OrtScorer scorer = new OrtScorer(reloaded, new ScorerOptions(1))) {
            float[] pixels = new float[3 * model.input().shape().size()];
            scorer.score(pixels, 3).forEach(s -> assertEquals(7, s.predicted()));
        }
        ModelProto original = OnnxModel.load(ModelFixtures.mnist(dir, 11)).proto();
        assertArrayEquals(model.bytes(), original.toByteArray(), "the source model is never modified");
    }

    private static void assertParity(OnnxModel model) throws Exception {
        try (OrtScorer scorer = new OrtScorer(model, new ScorerOptions(1))) {
            ParityResult parity = ParityCheck.run(GraphTranslator.translate(model), scorer, 4, 11);
            assertTrue(parity.ok(), parity.toString());
            assertTrue(parity.outputScale() > 1e-3, "outputs are not all zero: " + parity);
        }
    }
}
