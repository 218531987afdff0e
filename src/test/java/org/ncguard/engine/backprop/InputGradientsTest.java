package org.ncguard.engine.backprop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ncguard.engine.OnnxModel;
import org.ncguard.onnx.Onnx.NodeProto;
import org.ncguard.testing.ModelFixtures;
import org.ncguard.testing.TorchFixtures;
import org.ncguard.testing.TorchFixtures.Fixture;

/**
 * The backward pass ncguard writes into the ONNX graph gives the same input gradients as SameDiff's automatic
 * differentiation (itself checked against PyTorch in {@code TorchExportTest}).
 */
class InputGradientsTest {

    @TempDir
    static Path dir;

    static List<Path> builtModels() throws Exception {
        return List.of(ModelFixtures.mnist(dir, 11), ModelFixtures.mnist(dir, 13), ModelFixtures.mnist(dir, 17),
                ModelFixtures.gtsrb(dir), ModelFixtures.nhwc(dir));
    }

    static List<Fixture> torchModels() {
        return TorchFixtures.fixtures();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("builtModels")
    void builtModelsGetTheirGradientFromOnnxRuntime(Path file) throws Exception {
        OnnxModel model = OnnxModel.load(file);
        try (InputGradients ort = InputGradients.open(model, 1)) {
            assertEquals("onnxruntime", ort.engine(), "every op of the built models has a backward rule");
        }
        assertMatchesSameDiff(model);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("torchModels")
    void pyTorchExportsGetTheirGradientFromOnnxRuntime(Fixture f) throws Exception {
        OnnxModel model = OnnxModel.load(f.file());
        try (InputGradients ort = InputGradients.open(model, 1)) {
            assertEquals("onnxruntime", ort.engine(), "every op of the exports has a backward rule");
        }
        assertMatchesSameDiff(model);
    }

    @Test
    void softmaxInsideTheNetworkFallsBackToSameDiff() throws Exception {
        OnnxModel model = OnnxModel.load(ModelFixtures.mnist(dir, 13));
        // A graph whose logits come after a Softmax on the path has no rule: the builder names the op.
        var g = model.proto().getGraph().toBuilder();
        var first = g.getNode(0);
        g.setNode(0, first.toBuilder().setOutput(0, "conv.raw").build());
        g.addNode(0, NodeProto.newBuilder().setOpType("Softmax").setName("inner_softmax")
                .addInput("conv.raw").addOutput(first.getOutput(0))
                .addAttribute(org.ncguard.engine.OnnxAttributes.attr("axis", 1L)).build());
        // Keep topological order: the Softmax must come after the Conv that feeds it.
        var conv = g.getNode(1);
        var softmax = g.getNode(0);
        g.setNode(0, conv).setNode(1, softmax);
        OnnxModel patched = OnnxModel.fromBytes("inner-softmax.onnx", model.proto().toBuilder().setGraph(g).build().toByteArray());
        var error = org.junit.jupiter.api.Assertions.assertThrows(org.ncguard.NcguardException.class,
                () -> BackwardGraph.build(patched));
        assertTrue(error.getMessage().contains("Softmax"), error.getMessage());
        try (InputGradients gradients = InputGradients.open(patched, 1)) {
            assertEquals("samediff", gradients.engine());
        }
    }

    /** Both engines on the same random batch with random targets. */
    private static void assertMatchesSameDiff(OnnxModel model) throws Exception {
        int n = 6;
        int size = model.input().shape().size();
        int labels = model.labels();
        SplittableRandom random = new SplittableRandom(3);
        float[] images = new float[n * size];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) random.nextDouble(-1, 1);
        }
        float[] targets = new float[n * labels];
        for (int i = 0; i < n; i++) {
            targets[i * labels + random.nextInt(labels)] = 1;
        }
        List<float[][]> results = new ArrayList<>();
        for (InputGradients engine : List.of(InputGradients.open(model, 1), new SameDiffInputGradients(model))) {
            try (engine) {
                float[] logits = new float[n * labels];
                float[] gradient = new float[n * size];
                engine.compute(images, n, targets, logits, gradient);
                results.add(new float[][] {logits, gradient});
            }
        }
        assertClose(results.get(1)[0], results.get(0)[0], "logits");
        assertClose(results.get(1)[1], results.get(0)[1], "input gradient");
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            diff = Math.max(diff, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(scale > 0, what + " is all zeros");
        assertTrue(diff <= 1e-4 * scale, what + ": max abs diff " + diff + " at scale " + scale);
    }
}
