package org.ncguard.reverse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.ncguard.NcguardException;

class ScanShardTest {

    private static final List<Integer> FORTY_THREE = IntStream.range(0, 43).boxed().toList();

    @Test
    void labelLGoesToShardLModNWhenAllLabelsAreScanned() throws Exception {
        ScanShard shard = ScanShard.parse("1/3", FORTY_THREE);
        assertEquals(1, shard.index());
        assertEquals(3, shard.count());
        assertEquals(IntStream.range(0, 43).filter(l -> l % 3 == 1).boxed().toList(), shard.labels());
        assertEquals("1/3", shard.name());
    }

    @Test
    void theShardsCoverEveryLabelExactlyOnce() throws Exception {
        List<Integer> labels = List.of(12, 3, 5, 9, 40);
        List<Integer> seen = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            seen.addAll(ScanShard.of(k, 3, labels).labels());
        }
        assertEquals(List.of(3, 5, 9, 12, 40), seen.stream().sorted().toList());
        assertEquals(5, seen.size());
    }

    @Test
    void withLabelsTheIthLabelGoesToShardIModN() throws Exception {
        // --labels 12,3,5,9 in any order: ascending 3 5 9 12, dealt out 0 1 0 1.
        assertEquals(List.of(3, 9), ScanShard.of(0, 2, List.of(12, 3, 5, 9)).labels());
        assertEquals(List.of(5, 12), ScanShard.of(1, 2, List.of(12, 3, 5, 9)).labels());
        assertEquals(List.of(3, 5, 9, 12), ScanShard.of(1, 2, List.of(12, 3, 5, 9)).scanLabels());
    }

    @Test
    void badSpecsNameTheProblem() {
        assertTrue(assertThrows(NcguardException.class, () -> ScanShard.parse("3/3", FORTY_THREE)).getMessage()
                .contains("K counts from 0 to N-1"));
        assertTrue(assertThrows(NcguardException.class, () -> ScanShard.parse("0/0", FORTY_THREE)).getMessage()
                .contains("at least 1"));
        assertTrue(assertThrows(NcguardException.class, () -> ScanShard.parse("one of three", FORTY_THREE))
                .getMessage().contains("--shard expects K/N"));
        assertTrue(assertThrows(NcguardException.class, () -> ScanShard.parse("0/5", List.of(1, 2, 3)))
                .getMessage().contains("at most 3 shards"));
    }
}
