package org.ncguard.guard.bench;

import java.util.Arrays;

/**
 * Time from handing each request to the producer to reading its routed record, over the requests that arrived.
 *
 * @param sortedMillis the latencies, ascending
 * @param seconds      from the first send to the last arrival
 */
public record Latencies(double[] sortedMillis, double seconds) {

    /** The latencies of what {@code sender} sent and {@code routed} read. */
    public static Latencies of(PacedSender sender, RoutedRecords routed, int requests) {
        return of(sender, routed, 0, requests);
    }

    /** The latencies of requests {@code from} (inclusive) to {@code to} (exclusive). */
    public static Latencies of(PacedSender sender, RoutedRecords routed, int from, int to) {
        double[] ms = new double[to - from];
        int arrived = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (int i = from; i < to; i++) {
            first = Math.min(first, sender.sentNanos(i));
            if (routed.arrived(i)) {
                last = Math.max(last, routed.arrivedNanos(i));
                ms[arrived++] = (routed.arrivedNanos(i) - sender.sentNanos(i)) / 1e6;
            }
        }
        double[] sorted = Arrays.copyOf(ms, arrived);
        Arrays.sort(sorted);
        return new Latencies(sorted, arrived == 0 ? 0 : (last - first) / 1e9);
    }

    /** The value at rank {@code ceil(q * n)}; 0 when nothing arrived. */
    public double percentile(double q) {
        if (sortedMillis.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(q * sortedMillis.length);
        return sortedMillis[Math.max(0, Math.min(sortedMillis.length, rank) - 1)];
    }

    /** Requests that arrived per second, from the first send to the last arrival. */
    public double throughput() {
        return seconds > 0 ? sortedMillis.length / seconds : 0;
    }
}
