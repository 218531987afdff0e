package org.ncguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.reverse.LabelResult;
import org.ncguard.reverse.ScanReport;

class DetectionCommandTest {

    static final String CASE = "fm-sq4-t7-s1,lab,infected,mnist,builtin:fashion-mnist?n=20000,"
            + "builtin:fashion-mnist:test?n=2000,square:4:white:bottom-right,7,1,2,builtin:fashion-mnist:test,--fast";

    @TempDir
    Path dir;

    @Test
    void printsTheRulesTableForStoredScans() throws Exception {
        Path cases = Files.writeString(dir.resolve("cases.csv"), CASE + "\n");
        double[] l1 = {66.9, 50.7, 60.0, 48.8, 44.1, 86.1, 54.0, 11.0, 28.3, 83.8};
        ScanReport.Builder b = ScanReport.builder("m.onnx", "0".repeat(64), 10).seed(1);
        for (int label = 0; label < l1.length; label++) {
            b.result(LabelResult.converged(label, l1[label], 0.99, 30, 1));
        }
        Path seed = Files.createDirectories(dir.resolve("scans/fm-sq4-t7-s1-8579f02e/seed-1"));
        b.build().toBuilder().naturalShare(7, 0.05).build().write(seed.resolve("scan.json"));

        CliRun run = CliRun.of("detection", "--cases", cases.toString(), "--runs", dir.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("1 complete scans of 1 cases"), run.out());
        assertTrue(run.out().contains("| ncguard | 1/1 | 0 | 0 | 0/0 | 1/1 |"), run.out());
    }

    @Test
    void noScansOrAnUnknownRuleIsAOneLineError() throws Exception {
        Path cases = Files.writeString(dir.resolve("cases.csv"), CASE + "\n");
        CliRun none = CliRun.of("detection", "--cases", cases.toString(), "--runs", dir.toString());
        assertEquals(2, none.exitCode());
        assertTrue(none.err().contains("no complete scan"), none.err());
        CliRun missing = CliRun.of("detection", "--cases", dir.resolve("absent.csv").toString(), "--runs",
                dir.toString());
        assertEquals(2, missing.exitCode());
    }
}
