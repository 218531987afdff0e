package org.ncguard.guard.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.ncguard.guard.Action;
import org.ncguard.guard.GuardHeaders;

/**
 * Reads what the guard routed (the clean and quarantine topics, committed records only) and notes, for every request
 * sent by a {@link PacedSender}, when it first arrived, whether the guard acted on it, and how often it arrived.
 */
public final class RoutedRecords implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final String quarantine;
    private final long[] arrivedNanos;
    private final boolean[] caught;
    private final int[] copies;
    private int routed;
    private int quarantined;
    private int strangers;

    /**
     * @param clean      the guard's clean topic
     * @param quarantine its quarantine topic
     * @param requests   how many requests were sent, keyed {@link PacedSender#key(int) key(0 .. requests - 1)}
     */
    public RoutedRecords(String bootstrap, String clean, String quarantine, int requests) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "ncguard-demo-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.consumer.subscribe(List.of(clean, quarantine));
        this.quarantine = quarantine;
        this.arrivedNanos = new long[requests];
        this.caught = new boolean[requests];
        this.copies = new int[requests];
    }

    /** Reads for up to {@code wait}. */
    public void poll(Duration wait) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(wait)) {
            long now = System.nanoTime();
            int i = PacedSender.index(r.key());
            if (i < 0 || i >= copies.length) {
                strangers++;
                continue;
            }
            if (copies[i]++ == 0) {
                arrivedNanos[i] = now;
                routed++;
                boolean inQuarantine = r.topic().equals(quarantine);
                if (inQuarantine) {
                    quarantined++;
                }
                caught[i] = inQuarantine || Action.FLAG.wire().equals(header(r, GuardHeaders.ACTION));
            }
        }
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Distinct requests seen so far. */
    public int routed() {
        return routed;
    }

    public int quarantined() {
        return quarantined;
    }

    /** Records whose key is no request of this demo. */
    public int strangers() {
        return strangers;
    }

    public boolean arrived(int i) {
        return copies[i] > 0;
    }

    public long arrivedNanos(int i) {
        return arrivedNanos[i];
    }

    public boolean caught(int i) {
        return caught[i];
    }

    /** Copies beyond the first, over all requests. */
    public int duplicates() {
        int d = 0;
        for (int c : copies) {
            d += Math.max(0, c - 1);
        }
        return d;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
