package org.ncguard.guard.replay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * The offsets a replay covers, per partition of the requests topic: from the first record at or after {@code from}
 * to the first at or after {@code to} (or the current end, committed records only), and where this run resumes.
 *
 * @param spans every partition's span, in partition order
 */
public record ReplayPlan(List<PartitionSpan> spans) {

    public ReplayPlan {
        spans = List.copyOf(spans);
    }

    /**
     * Asks the brokers, through {@code consumer} (of the replay's own group), for the spans of {@code config}.
     *
     * @param partitions the requests topic's partitions
     */
    static ReplayPlan of(Consumer<?, ?> consumer, List<PartitionInfo> partitions, ReplayConfig config) {
        List<TopicPartition> tps = new ArrayList<>();
        partitions.forEach(p -> tps.add(new TopicPartition(p.topic(), p.partition())));
        tps.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
        Map<TopicPartition, Long> ends = consumer.endOffsets(tps);
        Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(at(tps,
                config.range().from().toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> stops = consumer.offsetsForTimes(at(tps,
                config.range().to().toEpochMilli()));
        Map<TopicPartition, OffsetAndMetadata> committed = config.restart() ? Map.of()
                : consumer.committed(Set.copyOf(tps));
        List<PartitionSpan> spans = new ArrayList<>();
        for (TopicPartition tp : tps) {
            long end = ends.getOrDefault(tp, 0L);
            OffsetAndTimestamp stop = stops.get(tp);
            if (stop != null) {
                end = Math.min(end, stop.offset());
            }
            OffsetAndTimestamp s = starts.get(tp);
            long start = s == null ? end : Math.min(s.offset(), end);
            OffsetAndMetadata done = committed == null ? null : committed.get(tp);
            long resume = done == null ? start : Math.max(start, Math.min(done.offset(), end));
            spans.add(new PartitionSpan(tp, start, end, resume));
        }
        return new ReplayPlan(spans);
    }

    private static Map<TopicPartition, Long> at(List<TopicPartition> tps, long millis) {
        Map<TopicPartition, Long> m = new HashMap<>();
        tps.forEach(tp -> m.put(tp, millis));
        return m;
    }

    /** Offsets in the range, all partitions. */
    public long size() {
        return spans.stream().mapToLong(PartitionSpan::size).sum();
    }

    /** Offsets this run reads, all partitions. */
    public long todo() {
        return spans.stream().mapToLong(PartitionSpan::todo).sum();
    }

    /** Whether an earlier run into the same output already covered part of the range. */
    public boolean resumed() {
        return spans.stream().anyMatch(s -> s.resume() > s.start());
    }
}
