package org.ncguard.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.OrtScorer;
import org.ncguard.engine.ParityCheck;
import org.ncguard.engine.ScorerOptions;
import org.ncguard.engine.translate.GraphTranslator;
import org.ncguard.mitigate.patch.GraphIdentity;
import org.ncguard.onnx.Onnx.NodeProto;
import org.ncguard.testing.ModelFixtures;
import org.ncguard.testing.PatchFixtures;

/**
 * {@code ncguard patch} end to end on a small BadNets Fashion-MNIST model: pruning removes the real trigger within the
 * accuracy budget, unlearning removes it (under 2% for at most 1 point) while the clean-only control keeps it, patched
 * models keep the graph and pass parity, and bad input is a one-line error with exit code 2 and no file written.
 * The scan is written by code, its flagged trigger the square a real scan recovers.
 */
class PatchCommandTest {

    @TempDir
    static Path dir;

    static Path model;
    static byte[] original;
    static Path scan;

    @BeforeAll
    static void infectedModelAndScan() throws Exception {
        assumeTrue(PatchFixtures.fashionMnist(), "Fashion-MNIST is not installed");
        model = PatchFixtures.infectedModel(dir);
        original = Files.readAllBytes(model);
        scan = PatchFixtures.scan(model, dir.resolve("scan"), true);
    }

    private static CliRun patch(String... extra) {
        List<String> args = new ArrayList<>(List.of("patch", "--model", model.toString(), "--scan", scan.toString(),
                "--data", PatchFixtures.TRAIN, "--test-data", PatchFixtures.TEST, "--trigger", PatchFixtures.TRIGGER,
                "--target", String.valueOf(PatchFixtures.TARGET), "--test-samples", "5000", "--threads", "1",
                "--json"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static JsonNode json(CliRun run) throws Exception {
        return new ObjectMapper().readTree(run.out());
    }

    /**
     * At this size (20,000 images, 3 epochs, 85% accuracy) the model itself puts 1.9% of the clean test images of other
     * labels in the target, above the 1% target, so every layer is tried: spatial units first, where the real trigger
     * keeps less than one point over that share, then the penultimate layer and the channels. The best of them is
     * kept, within the 2-point accuracy budget.
     */
    @Test
    void pruningTriesEachLayerInTurnAndKeepsTheBestWithinTheAccuracyBudget() throws Exception {
        Path out = dir.resolve("pruned.onnx");
        CliRun run = patch("--method", "prune", "--out", out.toString());
        assertTrue(run.exitCode() == 0 || run.exitCode() == 2, run.err());
        JsonNode r = json(run);
        assertTrue(r.get("realAttackSuccessBefore").asDouble() > 0.9, run.out());
        assertTrue(r.get("accuracyBefore").asDouble() - r.get("accuracyAfter").asDouble() <= 0.02, run.out());
        JsonNode tried = r.get("triedLayers");
        assertEquals("spatial", tried.get(0).get("layer").asText(), run.out());
        assertTrue(tried.get(0).get("realAttackSuccess").asDouble() - r.get("realUnstampedBefore").asDouble() < 0.01,
                run.out());
        assertEquals(r.get("goalMet").asBoolean() ? tried.size() : 3, tried.size(), run.out());
        double best = 1;
        String bestLayer = null;
        for (JsonNode t : tried) {
            assertTrue(r.get("accuracyBefore").asDouble() - t.get("accuracy").asDouble() <= 0.02, run.out());
            double worst = Math.max(t.get("attackSuccess").asDouble(), t.get("realAttackSuccess").asDouble());
            if (worst < best) {
                best = worst;
                bestLayer = t.get("layer").asText();
            }
        }
        assertEquals(bestLayer, r.get("layer").asText(), run.out());
        assertEquals(best, Math.max(r.get("attackSuccessAfter").asDouble(), r.get("realAttackSuccessAfter").asDouble()),
                1e-12, run.out());
        assertTrue(r.get("pruned").asInt() > 0, run.out());
        assertKeepsTheGraphAndPassesParity(out);
        JsonNode curve = new ObjectMapper().readTree(dir.resolve("pruned.curve.json").toFile());
        assertEquals(r.get("steps").asInt() + 1, curve.get("points").size());
        String page = Files.readString(dir.resolve("pruned.curve.html"));
        assertTrue(page.contains("data-series=\"attack success (real trigger)\""), page);
        JsonNode card = new ObjectMapper().readTree(dir.resolve("pruned.card.json").toFile());
        assertEquals(OnnxModel.load(model).sha256(), card.get("originalSha256").asText());
        assertEquals("prune", card.get("method").asText());
        assertTrue(card.at("/parity/ok").asBoolean());
        assertArrayEquals(original, Files.readAllBytes(model), "the original is never touched");
    }

    @Test
    void pruningTheLastConvKeepsTheGraph() throws Exception {
        Path out = dir.resolve("pruned-conv.onnx");
        CliRun run = patch("--method", "prune", "--layer", "conv", "--out", out.toString());
        assertTrue(run.exitCode() == 0 || run.exitCode() == 2, run.err());
        JsonNode r = json(run);
        assertEquals("conv", r.get("layer").asText());
        assertEquals(32, r.get("units").asInt());
        assertTrue(r.get("accuracyBefore").asDouble() - r.get("accuracyAfter").asDouble() <= 0.02, run.out());
        assertKeepsTheGraphAndPassesParity(out);
    }

    @Test
    void unlearningRemovesTheRealTriggerAndTheCleanControlDoesNot() throws Exception {
        Path out = dir.resolve("unlearned.onnx");
        CliRun run = patch("--method", "unlearn", "--reversals", "1", "--fraction", "0.3", "--epochs", "2",
                "--max-accuracy-drop", "0.01", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        JsonNode r = json(run);
        assertTrue(r.get("realAttackSuccessAfter").asDouble() < 0.02, run.out());
        assertTrue(r.get("accuracyBefore").asDouble() - r.get("accuracyAfter").asDouble() <= 0.01, run.out());
        assertTrue(r.get("controlRealAttackSuccess").asDouble() > 0.5, "the clean-only control keeps the backdoor: "
                + run.out());
        assertKeepsTheGraphAndPassesParity(out);
        assertTrue(Files.exists(dir.resolve("unlearned.card.json")));
        assertFalse(Files.exists(dir.resolve("unlearned.curve.json")));
    }

    private static void assertKeepsTheGraphAndPassesParity(Path out) throws Exception {
        OnnxModel before = OnnxModel.load(model);
        OnnxModel after = OnnxModel.load(out);
        assertEquals(List.of(), GraphIdentity.differences(before.proto(), after.proto()));
        assertEquals(before.opset(), after.opset());
        assertEquals(before.proto().getGraph().getNodeList().stream().map(NodeProto::getName).toList(),
                after.proto().getGraph().getNodeList().stream().map(NodeProto::getName).toList());
        assertEquals(before.input(), after.input());
        assertEquals(before.outputName(), after.outputName());
        try (OrtScorer scorer = new OrtScorer(after, new ScorerOptions(1))) {
            assertTrue(ParityCheck.run(GraphTranslator.translate(after), scorer, 4, 7).ok());
        }
    }

    @Test
    void aScanOfAnotherModelIsExitCode2() throws Exception {
        Path other = PatchFixtures.scanFor("ab".repeat(32), "other.onnx", dir.resolve("scan-other"), true);
        Path out = dir.resolve("bad-sha.onnx");
        CliRun run = CliRun.of("patch", "--method", "prune", "--model", model.toString(), "--scan", other.toString(),
                "--data", PatchFixtures.TRAIN, "--out", out.toString(), "--threads", "1");
        assertBadInput(run, "is of another model", out);
    }

    @Test
    void anIncompleteScanIsExitCode2() throws Exception {
        Path partial = PatchFixtures.scan(model, dir.resolve("scan-partial"), false);
        Path out = dir.resolve("bad-partial.onnx");
        CliRun run = CliRun.of("patch", "--method", "prune", "--model", model.toString(), "--scan",
                partial.toString(), "--data", PatchFixtures.TRAIN, "--out", out.toString(), "--threads", "1");
        assertBadInput(run, "is incomplete", out);
    }

    @Test
    void dataOfAnotherSizeIsExitCode2() {
        Path out = dir.resolve("bad-size.onnx");
        CliRun run = CliRun.of("patch", "--method", "prune", "--model", model.toString(), "--scan", scan.toString(),
                "--data", "builtin:signs?n=50", "--out", out.toString(), "--threads", "1");
        assertBadInput(run, "32x32", out);
    }

    @Test
    void theInputModelAsOutputIsExitCode2() throws Exception {
        CliRun run = CliRun.of("patch", "--method", "prune", "--model", model.toString(), "--scan", scan.toString(),
                "--data", PatchFixtures.TRAIN, "--out", model.toString(), "--threads", "1");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("is the input model"), run.err());
        assertArrayEquals(original, Files.readAllBytes(model));
    }

    @Test
    void unlearningOverTheBudgetAtEveryLearningRateWritesNothing() throws Exception {
        Path out = dir.resolve("over-budget.onnx");
        CliRun run = patch("--method", "unlearn", "--reversals", "1", "--fraction", "0.05", "--lr", "0.1",
                "--max-accuracy-drop", "0", "--out", out.toString());
        assertBadInput(run, "at learning rates [0.100, 0.0333, 0.0111]", out);
        assertFalse(Files.exists(dir.resolve("over-budget.card.json")));
    }

    @Test
    void aBudgetThatCannotBeMetKeepsTheBestModelAndSaysWhy() throws Exception {
        Path out = dir.resolve("no-budget.onnx");
        CliRun run = patch("--method", "prune", "--max-accuracy-drop", "0", "--target-success", "0.000001",
                "--out", out.toString());
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(lastLine(run).startsWith("ncguard: backdoor not removed: "), run.err());
        JsonNode r = json(run);
        assertTrue(r.get("accuracyAfter").asDouble() >= r.get("accuracyBefore").asDouble(), run.out());
        assertTrue(Files.exists(out), "the best model within the budget is kept");
        assertArrayEquals(original, Files.readAllBytes(model));
    }

    @Test
    void aLayerTheModelLacksIsSkippedByAutoAndAnErrorWhenAskedFor() throws Exception {
        Path dense = ModelFixtures.dense(dir);
        Path denseScan = PatchFixtures.scan(dense, dir.resolve("scan-dense"), true);
        Path out = dir.resolve("dense-pruned.onnx");
        List<String> args = List.of("patch", "--method", "prune", "--model", dense.toString(), "--scan",
                denseScan.toString(), "--data", PatchFixtures.TRAIN, "--test-data", PatchFixtures.TEST, "--samples",
                "200", "--test-samples", "500", "--threads", "1", "--json", "--out", out.toString());
        CliRun auto = CliRun.of(args.toArray(String[]::new));
        assertTrue(auto.exitCode() == 0 || auto.exitCode() == 2, auto.err());
        JsonNode r = json(auto);
        assertEquals("penultimate", r.get("layer").asText(), auto.out());
        assertEquals(1, r.get("triedLayers").size(), auto.out());
        assertTrue(auto.err().contains("cannot prune the spatial layer") && auto.err().contains("cannot prune the "
                + "conv layer"), auto.err());

        Path spatialOut = dir.resolve("dense-spatial.onnx");
        List<String> spatial = new ArrayList<>(args.subList(0, args.size() - 1));
        spatial.addAll(List.of(spatialOut.toString(), "--layer", "spatial"));
        assertBadInput(CliRun.of(spatial.toArray(String[]::new)), "has no Conv node; use --layer penultimate",
                spatialOut);
    }

    /** The error line: progress logs may come before it on stderr. */
    private static String lastLine(CliRun run) {
        List<String> lines = run.err().strip().lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    private static void assertBadInput(CliRun run, String message, Path out) {
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(lastLine(run).startsWith("ncguard: ") && lastLine(run).contains(message), run.err());
        assertFalse(Files.exists(out));
        try (Stream<Path> files = Files.list(out.getParent())) {
            assertEquals(0, files.filter(f -> f.getFileName().toString().endsWith(".tmp")).count());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
