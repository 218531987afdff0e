package org.ncguard.guard.replay;

import org.apache.kafka.common.TopicPartition;

/**
 * The offsets of one requests partition that a replay covers.
 *
 * @param partition the partition
 * @param start     first offset of the range (the first record at or after {@code from})
 * @param end       the first offset past the range (the first record at or after {@code to}, or the end)
 * @param resume    where this run starts: {@code start}, or further on when a previous run into the same output kept
 *                  its progress
 */
public record PartitionSpan(TopicPartition partition, long start, long end, long resume) {

    public PartitionSpan {
        if (partition == null) {
            throw new IllegalArgumentException("partition is required");
        }
        if (start < 0 || end < start || resume < start || resume > end) {
            throw new IllegalArgumentException("expected 0 <= start <= resume <= end, found start " + start
                    + ", resume " + resume + " and end " + end + " for " + partition);
        }
    }

    /** Offsets in the range. */
    public long size() {
        return end - start;
    }

    /** Offsets this run reads. */
    public long todo() {
        return end - resume;
    }
}
