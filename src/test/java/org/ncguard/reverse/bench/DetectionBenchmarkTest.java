package org.ncguard.reverse.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.NcguardException;
import org.ncguard.reverse.FlagRule;
import org.ncguard.reverse.LabelResult;
import org.ncguard.reverse.ScanReport;
import org.ncguard.reverse.ScanShard;

class DetectionBenchmarkTest {

    static final String INFECTED = "fm-sq4-t7-s1,lab,infected,mnist,builtin:fashion-mnist?n=20000,"
            + "builtin:fashion-mnist:test?n=2000,square:4:white:bottom-right,7,1,2,builtin:fashion-mnist:test,--fast";
    static final String CLEAN = "fm-clean-s1,lab,clean,mnist,builtin:fashion-mnist?n=20000,"
            + "builtin:fashion-mnist:test?n=2000,,,1,2,builtin:fashion-mnist:test,--fast";
    static final String SHA = "3f2a9c0d5b7e41f8a6c2d9e0b1f4a7c3e5d8b2a1f0c9e7d6b5a4c3d2e1f0a9b8";

    @TempDir
    Path dir;

    @Test
    void caseKeyIsTheHashRunShComputes() {
        // printf '%s' "lab,infected,...,7,1,2" | sha256sum | cut -c1-8
        BenchmarkCase c = BenchmarkCase.parse(INFECTED);
        assertEquals("8579f02e", c.key());
        assertEquals("fm-sq4-t7-s1-8579f02e", c.stem());
        assertTrue(c.infected());
        assertEquals(7, c.target());
        assertFalse(BenchmarkCase.parse(CLEAN).infected());
        assertThrows(IllegalArgumentException.class, () -> BenchmarkCase.parse("a,b,c"));
        assertThrows(IllegalArgumentException.class, () -> BenchmarkCase.parse(CLEAN.replace(",,,1,", ",,3,1,")));
    }

    /** A scan whose label {@code small} has L1 {@code l1} and natural share {@code share}; the others spread widely. */
    static ScanReport scan(long seed, int small, double l1, double share) {
        // The norms of a planted checkerboard the MAD test missed (index 1.44), the small one moved to `small`.
        double[] norms = {66.9, 50.7, 11.0, 48.8, 44.1, 86.1, 54.0, 76.7, 28.3, 83.8};
        norms[2] = norms[small];
        norms[small] = l1;
        ScanReport.Builder b = ScanReport.builder("m.onnx", SHA, 10).seed(seed);
        for (int label = 0; label < norms.length; label++) {
            b.result(LabelResult.converged(label, norms[label], 0.99, 30, 1));
        }
        return b.build().toBuilder().naturalShare(small, share).build();
    }

    @Test
    void scoresEachRuleOnTheStoredScansWithoutScanning() throws Exception {
        Path cases = dir.resolve("cases.csv");
        Files.writeString(cases, "# comment\n" + INFECTED + "\n" + CLEAN + "\n");
        BenchmarkCase infected = BenchmarkCase.parse(INFECTED);
        BenchmarkCase clean = BenchmarkCase.parse(CLEAN);
        // Infected: the target (7) at a fifth of the median, 1.4 MADs below it, planted-looking (share 5%).
        write(scan(1, 7, 11.0, 0.05), dir.resolve("scans").resolve(infected.stem()).resolve("seed-1"));
        // Clean: a natural label (1) far below the median, share 95%.
        write(scan(1, 1, 12.0, 0.95), dir.resolve("scans").resolve(clean.stem()).resolve("seed-1"));
        // An incomplete scan is left out.
        ScanReport partial = ScanReport.builder("m.onnx", SHA, 10).result(LabelResult.converged(0, 5, 1, 3, 1))
                .build();
        write(partial, dir.resolve("scans").resolve(clean.stem()).resolve("seed-2"));

        // So is a complete one that run.sh is still working on (refining, checking): it holds a lock beside it.
        write(scan(3, 7, 11.0, 0.05), dir.resolve("scans").resolve(infected.stem()).resolve("seed-3"));
        Files.createDirectory(dir.resolve("scans").resolve(infected.stem()).resolve("seed-3.lock"));
        // And one shard of a split scan: its verdict covers its own labels only.
        write(scan(4, 7, 11.0, 0.05).toBuilder().shard(ScanShard.of(0, 2, IntStream.range(0, 10).boxed().toList()))
                .build(), dir.resolve("scans").resolve(infected.stem()).resolve("seed-4"));

        DetectionBenchmark benchmark = DetectionBenchmark.load(cases, dir);
        assertEquals(2, benchmark.scans().size());
        List<ScanOutcome> paper = benchmark.outcomes(FlagRule.PAPER);
        assertFalse(paper.get(0).targetFlagged(), "the paper's MAD test misses the widely spread case");
        assertEquals(List.of(), paper.get(1).wrongLabels());
        FlagRule log = new FlagRule("log2+natural", 2, 2, 0, 0.5, 0);
        List<ScanOutcome> ours = benchmark.outcomes(log);
        assertTrue(ours.get(0).targetFlagged());
        assertTrue(ours.get(0).correct() && ours.get(1).correct());

        String summary = benchmark.summary(List.of(FlagRule.PAPER, log));
        assertTrue(summary.contains("| paper | 0/1 | 0 | 0 | 0/1 | 1/2 |"), summary);
        assertTrue(summary.contains("| log2+natural | 1/1 | 0 | 0 | 0/1 | 2/2 |"), summary);
        String details = benchmark.details(List.of(FlagRule.PAPER, log));
        assertTrue(details.contains("| fm-sq4-t7-s1 | square:4:white:bottom-right | 1 | 7 | 11.0 / 52."), details);
        assertTrue(details.contains("| 5% |  | none | **7** |"), details);
    }

    @Test
    void aMissingCaseListIsAUserError() {
        assertThrows(NcguardException.class, () -> DetectionBenchmark.load(dir.resolve("none.csv"), dir));
    }

    private static void write(ScanReport report, Path folder) throws Exception {
        Files.createDirectories(folder);
        report.write(folder.resolve("scan.json"));
    }
}
