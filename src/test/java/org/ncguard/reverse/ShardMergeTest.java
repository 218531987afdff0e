package org.ncguard.reverse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.ncguard.NcguardException;

class ShardMergeTest {

    private static final List<Integer> TEN = IntStream.range(0, 10).boxed().toList();
    private static final String OTHER_SHA = "0".repeat(64);

    /** Shard k of n of the ten-label fixture scan, with the fixture's results for its labels. */
    private static ScanReport shard(int k, int n, String sha, Map<String, Object> config) throws NcguardException {
        ScanShard shard = ScanShard.of(k, n, TEN);
        List<LabelResult> results = ScanFixtures.tenResults().stream()
                .filter(r -> shard.labels().contains(r.label())).toList();
        return ScanReport.builder("badnets-mnist.onnx", sha, 10).results(results).config(config).seed(42)
                .requestedLabels(shard.labels()).shard(shard).build();
    }

    private static ScanReport shard(int k, int n) throws NcguardException {
        return shard(k, n, ScanFixtures.SHA, ScanFixtures.config());
    }

    private static List<Path> dirs(int count) {
        List<Path> dirs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            dirs.add(Path.of("shard-" + i));
        }
        return dirs;
    }

    private static String refusal(List<ScanReport> shards) {
        return assertThrows(NcguardException.class, () -> ShardMerge.of(dirs(shards.size()), shards)).getMessage();
    }

    @Test
    void mergedShardsGiveTheStatisticsAndVerdictOfOneRun() throws Exception {
        ScanReport merged = ShardMerge.of(dirs(3), List.of(shard(2, 3), shard(0, 3), shard(1, 3))).merged();
        ScanReport whole = ScanFixtures.tenLabelReport();
        assertEquals(whole.labels().stream().map(LabelResult::l1).toList(),
                merged.labels().stream().map(LabelResult::l1).toList());
        assertEquals(whole.labels().stream().map(LabelResult::anomalyIndex).toList(),
                merged.labels().stream().map(LabelResult::anomalyIndex).toList());
        assertEquals(whole.median(), merged.median());
        assertEquals(whole.outliers(), merged.outliers());
        assertEquals(whole.flagged(), merged.flagged());
        assertEquals(whole.verdict(), merged.verdict());
        assertTrue(merged.complete());
        assertEquals(null, merged.shard());
        assertEquals(TEN, merged.config().get("labels"));
    }

    @Test
    void shardsOfAnotherModelAreRefused() throws Exception {
        String message = refusal(List.of(shard(0, 2), shard(1, 2, OTHER_SHA, ScanFixtures.config())));
        assertTrue(message.contains("shard-1 is a scan of another model"), message);
        assertTrue(message.contains("merge the shards of one model"), message);
    }

    @Test
    void shardsScannedWithOtherSettingsAreRefusedNamingTheSetting() throws Exception {
        Map<String, Object> other = new LinkedHashMap<>(ScanFixtures.config());
        other.put("steps", 30);
        String message = refusal(List.of(shard(0, 2), shard(1, 2, ScanFixtures.SHA, other)));
        assertTrue(message.contains("shard-1 was scanned with other settings than shard-0 (steps 30 vs 1000)"),
                message);
    }

    @Test
    void aMissingShardIsNamed() throws Exception {
        String message = refusal(List.of(shard(0, 3), shard(2, 3)));
        assertTrue(message.contains("labels [1, 4, 7] have no result: shard(s) [1/3] missing"), message);
    }

    @Test
    void overlappingShardsAreNamedWithTheirLabels() throws Exception {
        String message = refusal(List.of(shard(0, 2), shard(1, 2), shard(1, 2)));
        assertTrue(message.contains("labels [1, 3, 5, 7, 9] are in both shard-1 and shard-2"), message);
    }

    @Test
    void shardsOfDifferentSplitsAreRefused() throws Exception {
        String message = refusal(List.of(shard(0, 2), shard(1, 3)));
        assertTrue(message.contains("shard-1 is shard 1/3"), message);
    }

    @Test
    void aWholeScanIsNotAShard() throws Exception {
        String message = refusal(List.of(shard(0, 2), ScanFixtures.tenLabelReport()));
        assertTrue(message.contains("shard-1 holds a whole scan, not a shard"), message);
    }

    @Test
    void anUnfinishedShardIsNamedWithItsMissingLabels() throws Exception {
        ScanShard split = ScanShard.of(1, 2, TEN);
        ScanReport unfinished = ScanReport.builder("badnets-mnist.onnx", ScanFixtures.SHA, 10)
                .results(List.of(ScanFixtures.tenResults().get(1))).config(ScanFixtures.config()).seed(42)
                .requestedLabels(split.labels()).shard(split).build();
        String message = refusal(List.of(shard(0, 2), unfinished));
        assertTrue(message.contains("shard-1 (shard 1/2) is unfinished: labels [3, 5, 7, 9] have no result"),
                message);
        assertTrue(message.contains("--shard 1/2 --resume --out shard-1"), message);
    }
}
