package org.ncguard.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads committed records of some topics from the beginning, as a downstream consumer would. */
public final class TopicReader implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();

    public TopicReader(String bootstrap, Collection<String> topics) {
        this(bootstrap, topics, Map.of());
    }

    /** A reader with client settings (security) of its own. */
    public TopicReader(String bootstrap, Collection<String> topics, Map<String, String> settings) {
        Properties p = new Properties();
        p.putAll(settings);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(topics);
    }

    /** Polls until {@code done} holds for everything read so far, or the timeout; returns everything read. */
    public List<ConsumerRecord<byte[], byte[]>> until(Predicate<List<ConsumerRecord<byte[], byte[]>>> done,
                                                      Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!done.test(seen) && System.nanoTime() < end) {
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        }
        return List.copyOf(seen);
    }

    /** Polls for {@code quiet} more and returns everything read. */
    public List<ConsumerRecord<byte[], byte[]>> settle(Duration quiet) {
        long end = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < end) {
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        }
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
