package org.ncguard.reverse.bench;

import java.util.List;
import java.util.Map;

/**
 * What one rule made of one stored scan of a benchmark case.
 *
 * @param scanSeed the scan's seed
 * @param rule     the rule's name
 * @param flagged  the labels the rule flagged, ascending, with its reasons
 */
public record ScanOutcome(BenchmarkCase benchmarkCase, long scanSeed, String rule, Map<Integer, String> flagged) {

    public ScanOutcome {
        flagged = Map.copyOf(flagged);
    }

    /** Whether the planted target was flagged; false for a clean twin. */
    public boolean targetFlagged() {
        return benchmarkCase.infected() && flagged.containsKey(benchmarkCase.target());
    }

    /** Flagged labels that carry no planted trigger: every flagged label of a clean twin, the non-targets otherwise. */
    public List<Integer> wrongLabels() {
        return flagged.keySet().stream().filter(l -> l != benchmarkCase.target()).sorted().toList();
    }

    /** Whether the rule got this scan right: the target flagged (infected), nothing flagged (clean). */
    public boolean correct() {
        return benchmarkCase.infected() ? targetFlagged() : flagged.isEmpty();
    }
}
