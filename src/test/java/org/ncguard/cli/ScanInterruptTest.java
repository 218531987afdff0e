package org.ncguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;
import org.ncguard.engine.OnnxBuilder;

/**
 * Ctrl-C on a real {@code ncguard scan} process (the JVM's shutdown path, which in-process tests cannot reach), then
 * {@code --resume}.
 */
class ScanInterruptTest {

    @Test
    void ctrlCLeavesAnIncompleteButValidScan(@TempDir Path dir) throws Exception {
        assumeFalse(System.getProperty("os.name").startsWith("Windows"), "needs kill -INT");
        Path model = dir.resolve("forty-labels.onnx");
        // Forty labels, one at a time: the scan is still busy long after its first label is written.
        OnnxBuilder.image(new ImageShape(3, 32, 32, Layout.NCHW), 13, 40)
                .conv(4, 3, 2, 1).relu().maxPool(2).view().dense(16).relu().dense(40).write(model);
        Path out = dir.resolve("scan");
        Path log = dir.resolve("scan.log");
        Process scan = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "scan", "--model", model.toString(), "--data", "builtin:signs:test?n=80", "--samples", "64",
                "--group", "1", "--threads", "1", "--out", out.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Path firstTrigger = out.resolve("triggers/label-00.json");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(firstTrigger) && scan.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(scan.isAlive(), "the scan must still run when it is interrupted:\n" + Files.readString(log));
            assertTrue(Files.exists(firstTrigger), "no label finished in time:\n" + Files.readString(log));
            // SIGTERM takes the JVM's shutdown path that Ctrl-C's SIGINT takes, and unlike SIGINT it is not ignored
            // when the build itself runs as a background job. The shell's kill: a slim image may lack the binary.
            assertEquals(0, new ProcessBuilder("sh", "-c", "kill -TERM " + scan.pid()).start().waitFor());
            assertTrue(scan.waitFor(60, TimeUnit.SECONDS), "the scan did not stop after SIGTERM");
        } finally {
            scan.destroyForcibly();
        }

        String printed = Files.readString(log);
        assertNotEquals(0, scan.exitValue(), printed);
        assertTrue(printed.contains("verdict so far, on the "), printed);
        assertTrue(printed.contains("INCOMPLETE: continue with --resume"), printed);
        JsonNode report = new ObjectMapper().readTree(out.resolve("scan.json").toFile());
        assertFalse(report.get("complete").asBoolean(), "an interrupted scan says so");
        JsonNode labels = report.get("labels");
        assertTrue(labels.size() >= 1 && labels.size() < 40, "finished labels only: " + labels.size());
        for (JsonNode label : labels) {
            String name = String.format("triggers/label-%02d.json", label.get("label").asInt());
            assertTrue(Files.exists(out.resolve(name)), "every reported label has its trigger: " + name);
        }
        try (var files = Files.walk(out)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no half-written file");
        }

        // --resume continues it; here only up to label 1 to keep the test short.
        double firstL1 = labels.get(0).get("l1").asDouble();
        CliRun resumed = CliRun.of("scan", "--model", model.toString(), "--data", "builtin:signs:test?n=80",
                "--samples", "64", "--group", "1", "--threads", "1", "--out", out.toString(), "--resume",
                "--labels", "0,1");
        assertEquals(0, resumed.exitCode(), resumed.err());
        JsonNode done = new ObjectMapper().readTree(out.resolve("scan.json").toFile());
        assertTrue(done.get("complete").asBoolean(), "every requested label is done");
        assertEquals(firstL1, done.get("labels").get(0).get("l1").asDouble(), "the finished label is kept");
        assertTrue(Files.exists(out.resolve("triggers/label-01.json")));
    }
}
