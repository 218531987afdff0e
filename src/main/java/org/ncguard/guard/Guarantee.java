package org.ncguard.guard;

import org.apache.kafka.streams.StreamsConfig;

/** Kafka Streams' processing guarantee: exactly-once by default, at-least-once for lower latency. */
public enum Guarantee {
    /** {@code exactly_once_v2}: outputs are visible to read_committed consumers at each commit. */
    EXACTLY_ONCE(StreamsConfig.EXACTLY_ONCE_V2),
    /** {@code at_least_once}: a restart may repeat the records since the last commit. */
    AT_LEAST_ONCE(StreamsConfig.AT_LEAST_ONCE);

    private final String streamsValue;

    Guarantee(String streamsValue) {
        this.streamsValue = streamsValue;
    }

    /** The value of {@code processing.guarantee}. */
    public String streamsValue() {
        return streamsValue;
    }

    /** Parses {@code exactly-once} or {@code at-least-once}. */
    public static Guarantee parse(String text) {
        return switch (text) {
            case "exactly-once" -> EXACTLY_ONCE;
            case "at-least-once" -> AT_LEAST_ONCE;
            default -> throw new IllegalArgumentException("guarantee must be exactly-once or at-least-once, found '"
                    + text + "'");
        };
    }
}
