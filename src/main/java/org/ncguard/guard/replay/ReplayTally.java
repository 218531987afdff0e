package org.ncguard.guard.replay;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Counts one replay run as it goes; {@link #summary} freezes it. Not thread-safe: one replay loop owns it. */
final class ReplayTally {

    private long read;
    private long scored;
    private long outside;
    private long first = Long.MAX_VALUE;
    private long last = Long.MIN_VALUE;
    private final TreeMap<Integer, Long> flagged = new TreeMap<>();
    private final TreeMap<Integer, List<String>> examples = new TreeMap<>();
    private final TreeMap<String, Long> unreadable = new TreeMap<>();
    private final List<String> unreadableExamples = new ArrayList<>();

    /** A record of the range, whatever comes of it. */
    void seen(long timestamp) {
        first = Math.min(first, timestamp);
        last = Math.max(last, timestamp);
    }

    void outside() {
        outside++;
    }

    void read() {
        read++;
    }

    void scored(Integer suspectedLabel, String requestId) {
        scored++;
        if (suspectedLabel != null) {
            flagged.merge(suspectedLabel, 1L, Long::sum);
            List<String> ids = examples.computeIfAbsent(suspectedLabel, k -> new ArrayList<>());
            if (ids.size() < ReplaySummary.EXAMPLES) {
                ids.add(requestId);
            }
        }
    }

    void unreadable(String reason, String where, String message) {
        unreadable.merge(reason, 1L, Long::sum);
        if (unreadableExamples.size() < ReplaySummary.EXAMPLES) {
            unreadableExamples.add(where + " " + reason + ": " + message);
        }
    }

    long readCount() {
        return read;
    }

    long flaggedCount() {
        return flagged.values().stream().mapToLong(Long::longValue).sum();
    }

    long unreadableCount() {
        return unreadable.values().stream().mapToLong(Long::longValue).sum();
    }

    ReplaySummary summary(ReplayConfig config, String profileId, boolean resumed, boolean complete) {
        return new ReplaySummary(config.requests(), config.out(), config.alerts(), config.range(), profileId, resumed,
                complete, read, scored, flagged, examples, first == Long.MAX_VALUE ? null : Instant.ofEpochMilli(first),
                last == Long.MIN_VALUE ? null : Instant.ofEpochMilli(last), outside, unreadable, unreadableExamples);
    }
}
