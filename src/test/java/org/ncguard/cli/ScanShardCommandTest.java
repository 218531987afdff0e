package org.ncguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.NcguardException;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;
import org.ncguard.engine.OnnxBuilder;
import org.ncguard.engine.OnnxModel;
import org.ncguard.mitigate.ScanTriggers;
import org.ncguard.reverse.LabelResult;
import org.ncguard.reverse.ReversedTrigger;
import org.ncguard.reverse.ScanFiles;
import org.ncguard.reverse.ScanReport;
import org.ncguard.reverse.TriggerStore;

/** A scan split in two shards and merged, against one run of the same scan: same triggers, statistics, verdicts. */
class ScanShardCommandTest {

    /**
     * Relative tolerance on L1 norms and masks. Each label's search is the same sequence of operations in both runs;
     * only the number of labels sharing an ONNX Runtime pass differs, and the kernels may round a row's sums
     * differently with the batch size (last float bit, ~1e-7), which a few Adam steps can grow, not to 1e-4.
     */
    private static final double TOLERANCE = 1e-4;

    @TempDir
    static Path dir;

    static Path model;
    static ScanReport single;
    static ScanReport merged;
    static CliRun shardRun;
    static CliRun mergeRun;

    private static List<String> options(String... more) {
        List<String> args = new ArrayList<>(List.of("scan", "--model", model.toString(), "--data",
                "builtin:signs:test?n=96", "--samples", "64", "--max-steps", "40", "--fast", "10", "--seed", "5",
                "--group", "3", "--threads", "1"));
        args.addAll(List.of(more));
        return args;
    }

    private static CliRun run(List<String> args) {
        return CliRun.of(args.toArray(String[]::new));
    }

    @BeforeAll
    static void scanOnceAndInTwoShards() throws Exception {
        model = dir.resolve("tiny.onnx");
        OnnxBuilder.image(new ImageShape(3, 32, 32, Layout.NCHW), 13, 5)
                .conv(4, 3, 2, 1).relu().maxPool(2).view().dense(16).relu().dense(5).write(model);
        CliRun one = run(options("--out", dir.resolve("single").toString()));
        assertEquals(0, one.exitCode(), one.err());
        single = ScanReport.read(dir.resolve("single/scan.json"));
        for (int k = 0; k < 2; k++) {
            shardRun = run(options("--shard", k + "/2", "--out", dir.resolve("shard-" + k).toString()));
            assertEquals(0, shardRun.exitCode(), shardRun.err());
        }
        mergeRun = CliRun.of("scan", "merge", dir.resolve("shard-1").toString(), dir.resolve("shard-0").toString(),
                "--out", dir.resolve("merged").toString(), "--threads", "1");
        assertEquals(0, mergeRun.exitCode(), mergeRun.err());
        merged = ScanReport.read(dir.resolve("merged/scan.json"));
    }

    @Test
    void aShardRecordsItsLabelsAndGivesNoVerdict() throws Exception {
        ScanReport shard = ScanReport.read(dir.resolve("shard-1/scan.json"));
        assertEquals("1/2", shard.shard().name());
        assertEquals(List.of(1, 3), shard.shard().labels());
        assertEquals(List.of(0, 1, 2, 3, 4), shard.shard().scanLabels());
        assertEquals(List.of(1, 3), shard.labels().stream().map(LabelResult::label).toList());
        assertEquals(single.modelSha256(), shard.modelSha256());
        assertTrue(shardRun.out().contains("shard 1/2: 2 of 2 label(s)"), shardRun.out());
        assertTrue(shardRun.out().contains("no verdict: the anomaly index needs all labels"), shardRun.out());
        assertFalse(shardRun.out().lines().anyMatch(line -> line.startsWith("verdict")), shardRun.out());
        String page = Files.readString(dir.resolve("shard-1/report.html"));
        assertTrue(page.contains("No verdict over the model"), "report.html of a shard says it has no verdict");
    }

    @Test
    void mergedShardsFindTheTriggersOfOneRun() throws Exception {
        assertEquals(single.labels().size(), merged.labels().size());
        double worst = 0;
        for (LabelResult one : single.labels()) {
            LabelResult two = merged.result(one.label()).orElseThrow();
            assertEquals(one.converged(), two.converged(), "label " + one.label());
            assertEquals(one.steps(), two.steps(), "label " + one.label());
            if (one.converged()) {
                assertEquals(one.l1(), two.l1(), TOLERANCE * one.l1(), "L1 of label " + one.label());
                worst = Math.max(worst, Math.abs(one.l1() - two.l1()));
            }
            if (one.anomalyIndex() != null) {
                assertEquals(one.anomalyIndex(), two.anomalyIndex(), 1e-3, "anomaly index of label " + one.label());
            }
            assertEquals(one.naturalShare() == null, two.naturalShare() == null, "label " + one.label());
            ReversedTrigger a = new TriggerStore(new ScanFiles(dir.resolve("single"))).load(one.label()).orElseThrow();
            ReversedTrigger b = new TriggerStore(new ScanFiles(dir.resolve("merged"))).load(one.label()).orElseThrow();
            for (int i = 0; i < a.mask().length; i++) {
                assertEquals(a.mask()[i], b.mask()[i], TOLERANCE, "mask of label " + one.label() + " at " + i);
            }
        }
        System.out.println("largest |L1 single - L1 merged| over the labels: " + worst);
        assertTrue(single.labels().stream().anyMatch(LabelResult::converged), "the test needs converged labels");
    }

    @Test
    void mergedShardsGiveBothVerdictsOfOneRun() {
        System.out.println("one run: outliers " + single.outliers() + ", flagged " + single.flagged() + ", L1 "
                + single.labels().stream().map(LabelResult::l1).toList() + "; merged: outliers " + merged.outliers()
                + ", flagged " + merged.flagged());
        assertEquals(single.median(), merged.median(), TOLERANCE * single.median());
        assertEquals(single.outliers(), merged.outliers());
        assertEquals(single.flagged(), merged.flagged());
        assertEquals(single.verdict(), merged.verdict());
        assertTrue(merged.complete());
        assertEquals(null, merged.shard());
        assertTrue(mergeRun.out().contains("verdict: " + single.verdict().name().toLowerCase()), mergeRun.out());
    }

    @Test
    void profileAndPatchReadTheMergedScanButNotAShard() throws Exception {
        OnnxModel m = OnnxModel.load(model);
        ScanTriggers triggers = ScanTriggers.load(dir.resolve("merged"), m, List.of(0, 1, 2, 3, 4));
        assertEquals(List.of(0, 1, 2, 3, 4), triggers.labels());
        NcguardException e = assertThrows(NcguardException.class,
                () -> ScanTriggers.load(dir.resolve("shard-0"), m, null));
        assertTrue(e.getMessage().contains("is shard 0/2 of a split scan"), e.getMessage());
    }

    @Test
    void aMissingShardIsExitCode2AndWritesNothing() {
        Path out = dir.resolve("merged-missing");
        CliRun run = CliRun.of("scan", "merge", dir.resolve("shard-0").toString(), "--out", out.toString());
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("labels [1, 3] have no result: shard(s) [1/2] missing"), run.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void aShardGivenTwiceIsExitCode2() {
        CliRun run = CliRun.of("scan", "merge", dir.resolve("shard-0").toString(), dir.resolve("shard-1").toString(),
                dir.resolve("shard-1").toString(), "--out", dir.resolve("merged-twice").toString());
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("labels [1, 3] are in both"), run.err());
    }

    @Test
    void aShardWithAnotherSeedIsExitCode2() {
        List<String> args = options("--shard", "1/2", "--out", dir.resolve("shard-1-seed6").toString());
        args.set(args.indexOf("--seed") + 1, "6");
        assertEquals(0, run(args).exitCode());
        CliRun run = CliRun.of("scan", "merge", dir.resolve("shard-0").toString(),
                dir.resolve("shard-1-seed6").toString(), "--out", dir.resolve("merged-seeds").toString());
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("other settings than") && run.err().contains("seed 6 vs 5"), run.err());
    }

    @Test
    void mergeNeverOverwritesAScan() throws Exception {
        CliRun run = CliRun.of("scan", "merge", dir.resolve("shard-0").toString(), dir.resolve("shard-1").toString(),
                "--out", dir.resolve("single").toString());
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("already exists and is not empty"), run.err());
        assertEquals(single, ScanReport.read(dir.resolve("single/scan.json")));
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith(".")),
                    "no hidden half-merged folder is left behind");
        }
    }
}
