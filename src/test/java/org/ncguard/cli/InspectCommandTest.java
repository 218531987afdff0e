package org.ncguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.testing.ModelFixtures;
import org.ncguard.testing.TorchFixtures;

class InspectCommandTest {

    @TempDir
    Path dir;

    @Test
    void jsonDescribesTheModelAndItsParity() throws Exception {
        Path model = ModelFixtures.gtsrb(dir);
        CliRun run = CliRun.of("inspect", "--model", model.toString(), "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertEquals("input", json.at("/input/name").asText());
        assertEquals("NCHW", json.at("/input/layout").asText());
        assertEquals(4, json.at("/input/shape").size());
        assertEquals(43, json.get("labels").asInt());
        assertEquals("probabilities", json.get("output").asText());
        assertEquals(512, json.at("/penultimate/size").asInt());
        assertTrue(json.get("ops").toString().contains("BatchNormalization"));
        assertTrue(json.at("/parity/ok").asBoolean());
        assertTrue(json.at("/parity/maxAbsDiff").asDouble() <= 1e-4);
    }

    @Test
    void textOutputNamesLayoutAndPenultimate() throws Exception {
        CliRun run = CliRun.of("inspect", "--model", ModelFixtures.nhwc(dir).toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("NHWC"), run.out());
        assertTrue(run.out().contains("32 features"), run.out());
        assertTrue(run.out().contains("parity       ok"), run.out());
    }

    @Test
    void missingFileIsAOneLineErrorWithExitCode2() {
        CliRun run = CliRun.of("inspect", "--model", dir.resolve("absent.onnx").toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().startsWith("ncguard: model file not found"), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
    }

    @Test
    void fileThatIsNotOnnxIsRejected() throws Exception {
        Path junk = Files.writeString(dir.resolve("notes.onnx"), "these are not the weights you are looking for");
        CliRun run = CliRun.of("inspect", "--model", junk.toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("is not an ONNX model"), run.err());
    }

    @Test
    void unsupportedOpNamesOpNodeAndSupportedList() {
        TorchFixtures.Fixture bad = TorchFixtures.bad().stream()
                .filter(f -> f.spec().get("problem").asText().equals("unsupported-op")).findFirst().orElseThrow();
        CliRun run = CliRun.of("inspect", "--model", bad.file().toString());
        assertEquals(2, run.exitCode());
        String op = bad.spec().get("detail").asText();
        assertTrue(run.err().contains("unsupported op " + op + " in " + op + " node"), run.err());
        assertTrue(run.err().contains("supports [Add, AveragePool"), run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace without --verbose");
    }

    @Test
    void dynamicSpatialDimensionIsRejected() {
        TorchFixtures.Fixture bad = TorchFixtures.bad().stream()
                .filter(f -> f.spec().get("problem").asText().equals("dynamic-spatial")).findFirst().orElseThrow();
        CliRun run = CliRun.of("inspect", "--model", bad.file().toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("only the batch dimension may be dynamic"), run.err());
    }

    @Test
    void verboseAddsTheStackTrace() {
        CliRun run = CliRun.of("inspect", "--verbose", "--model", dir.resolve("absent.onnx").toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("\tat "), run.err());
    }

    @Test
    void guardBenchSettingsWithoutGuardAreRefused() {
        CliRun run = CliRun.of("bench", "--set", "commit.interval.ms=200");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--set goes with --guard"), run.err());
    }

    @Test
    void everyCommandHasHelpAndTheToolHasAVersion() {
        for (String command : new String[] {"inspect", "attack", "evaluate", "scan", "bench"}) {
            CliRun run = CliRun.of(command, "--help");
            assertEquals(0, run.exitCode());
            assertTrue(run.out().contains("Usage: ncguard " + command), run.out());
        }
        CliRun version = CliRun.of("--version");
        assertEquals(0, version.exitCode());
        assertTrue(version.out().startsWith("ncguard "), version.out());
    }
}
