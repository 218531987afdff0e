package org.ncguard.guard.replay;

import java.time.Instant;

/**
 * The records a replay reads: record timestamps from {@code from} (inclusive) to {@code to} (exclusive).
 *
 * @param from first instant replayed
 * @param to   end of the range, not replayed
 */
public record ReplayRange(Instant from, Instant to) {

    public ReplayRange {
        if (from == null || to == null) {
            throw new IllegalArgumentException("a replay range needs --from and --to, found " + from + " and " + to);
        }
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("--from must be before --to, found from " + from + " and to " + to);
        }
    }

    /** Whether a record of timestamp {@code millis} is in the range. */
    public boolean contains(long millis) {
        return millis >= from.toEpochMilli() && millis < to.toEpochMilli();
    }

    @Override
    public String toString() {
        return "[" + from + ", " + to + ")";
    }
}
