package org.ncguard.guard.bench;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.ncguard.guard.ClientSettings;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends prepared request values to a topic from a thread of its own, at a steady rate or as fast as it can, and notes
 * when each was handed to the producer: request {@code i} is keyed {@link #key(int) key(i)}.
 */
public final class PacedSender {

    private final Thread thread;
    private final AtomicLongArray sentNanos;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    /**
     * @param values one serialized request each
     * @param rate   requests per second; 0 for as fast as possible
     */
    public PacedSender(String bootstrap, String topic, List<byte[]> values, double rate) {
        this(bootstrap, Map.of(), topic, values, rate);
    }

    /** @param settings Kafka client settings (security) that override the sender's own, as {@code --config} gives */
    public PacedSender(String bootstrap, Map<String, String> settings, String topic, List<byte[]> values, double rate) {
        this(bootstrap, settings, topic, values.size(), values::get, rate);
    }

    /**
     * Makes each value as it sends it, so that a long run does not hold them all: a heap full of them kept the
     * garbage collector marking all through a measured run.
     *
     * @param n     how many requests to send
     * @param value the serialized request {@code i}, called from the sending thread
     */
    public PacedSender(String bootstrap, Map<String, String> settings, String topic, int n,
            IntFunction<byte[]> value, double rate) {
        this.sentNanos = new AtomicLongArray(n);
        Properties p = new Properties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // Paced requests go out one by one, as a serving system sends them; a flood may batch.
        p.put(ProducerConfig.LINGER_MS_CONFIG, rate > 0 ? "0" : "5");
        p.putAll(ClientSettings.of(bootstrap, settings));
        this.thread = new Thread(() -> {
            try (KafkaProducer<String, byte[]> out = new KafkaProducer<>(p, new StringSerializer(),
                    new ByteArraySerializer())) {
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    if (rate > 0) {
                        long wait = start + (long) (i * 1e9 / rate) - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                    }
                    byte[] v = value.apply(i);
                    sentNanos.set(i, System.nanoTime());
                    out.send(new ProducerRecord<>(topic, key(i), v));
                }
                out.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failure.set(e);
            }
        }, "paced-sender");
    }

    /** The key (and request id) of request {@code i}. */
    public static String key(int i) {
        return String.format("req-%06d", i);
    }

    /** The index of the request keyed {@code key}, or -1 for a key this class did not make. */
    public static int index(String key) {
        if (key == null || !key.startsWith("req-")) {
            return -1;
        }
        try {
            return Integer.parseInt(key.substring(4));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public void start() {
        thread.start();
    }

    public boolean sending() {
        return thread.isAlive();
    }

    public void join() throws InterruptedException {
        thread.join();
    }

    /** Why sending stopped early, or null. */
    public RuntimeException failure() {
        return failure.get();
    }

    /** When request {@code i} was handed to the producer ({@link System#nanoTime}); 0 before. */
    public long sentNanos(int i) {
        return sentNanos.get(i);
    }

    /** Requests handed to the producer so far. */
    public int sent() {
        int count = 0;
        for (int i = 0; i < sentNanos.length(); i++) {
            if (sentNanos.get(i) != 0) {
                count++;
            }
        }
        return count;
    }
}
