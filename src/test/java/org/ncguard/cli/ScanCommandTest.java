package org.ncguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;
import org.ncguard.engine.OnnxBuilder;

class ScanCommandTest {

    @TempDir
    static Path dir;

    static Path model;

    @BeforeAll
    static void tinyModel() throws Exception {
        model = dir.resolve("tiny.onnx");
        OnnxBuilder.image(new ImageShape(3, 32, 32, Layout.NCHW), 13, 4)
                .conv(4, 3, 2, 1).relu().maxPool(2).view().dense(16).relu().dense(4).write(model);
    }

    @Test
    void writesTheScanFolderAndPrintsAVerdict() throws Exception {
        Path out = dir.resolve("scan-ok");
        CliRun run = CliRun.of("scan", "--model", model.toString(), "--data", "builtin:signs:test?n=80",
                "--samples", "64", "--max-steps", "3", "--labels", "1,3", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("verdict: "), run.out());
        assertTrue(run.out().contains("smallest trigger: label "), run.out());
        JsonNode scan = new ObjectMapper().readTree(out.resolve("scan.json").toFile());
        assertEquals(2, scan.get("labels").size());
        assertTrue(scan.get("complete").asBoolean());
        assertTrue(Files.exists(out.resolve("report.html")));
        assertTrue(Files.exists(out.resolve("triggers/label-03-trigger.png")));
    }

    @Test
    void labelOutsideTheModelIsExitCode2() {
        CliRun run = CliRun.of("scan", "--model", model.toString(), "--data", "builtin:signs:test?n=80",
                "--labels", "9", "--out", dir.resolve("scan-bad-label").toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("label 9 does not exist"), run.err());
    }

    @Test
    void fewerSamplesThanABatchIsExitCode2() {
        CliRun run = CliRun.of("scan", "--model", model.toString(), "--data", "builtin:signs:test?n=10",
                "--out", dir.resolve("scan-few").toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("fewer than one batch"), run.err());
    }

    @Test
    void samplesSmallerThanABatchIsExitCode2() {
        CliRun run = CliRun.of("scan", "--model", model.toString(), "--data", "builtin:signs:test?n=80",
                "--samples", "10", "--out", dir.resolve("scan-samples").toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("need at least one batch of 32 samples, found 10"), run.err());
    }

    @Test
    void malformedLabelListIsExitCode2() {
        CliRun run = CliRun.of("scan", "--model", model.toString(), "--data", "builtin:signs:test?n=80",
                "--labels", "one,two", "--out", dir.resolve("scan-list").toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--labels expects"), run.err());
    }
}
