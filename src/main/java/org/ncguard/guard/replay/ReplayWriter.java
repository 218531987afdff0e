package org.ncguard.guard.replay;

import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.ncguard.NcguardException;
import org.ncguard.avro.GuardAlert;
import org.ncguard.avro.GuardVerdict;
import org.ncguard.guard.serde.GuardSerdes;

/**
 * Writes a replay's verdicts and alerts, keyed by request id and stamped with the request's own record time, with an
 * idempotent producer; {@link #flush()} says whether everything sent so far was written.
 */
final class ReplayWriter implements AutoCloseable {

    private final ReplayConfig config;
    private final GuardSerdes serdes;
    private final KafkaProducer<String, byte[]> producer;
    private final AtomicReference<Exception> failed = new AtomicReference<>();

    /** A writer with the client settings {@code common} (bootstrap, security, user settings). */
    ReplayWriter(Properties common, ReplayConfig config, GuardSerdes serdes) {
        Properties p = new Properties();
        p.putAll(common);
        p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        this.config = config;
        this.serdes = serdes;
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    void verdict(String requestId, GuardVerdict verdict, long timestamp) {
        send(config.out(), requestId, serdes.verdicts().serializer().serialize(config.out(), verdict), timestamp);
    }

    void alert(String requestId, GuardAlert alert, long timestamp) {
        send(config.alerts(), requestId, serdes.alerts().serializer().serialize(config.alerts(), alert), timestamp);
    }

    private void send(String topic, String key, byte[] value, long timestamp) {
        producer.send(new ProducerRecord<>(topic, null, timestamp, key, value), (m, e) -> {
            if (e != null) {
                failed.compareAndSet(null, e);
            }
        });
    }

    /**
     * Waits until everything sent is written.
     *
     * @throws NcguardException when a record could not be written
     */
    void flush() throws NcguardException {
        producer.flush();
        Exception e = failed.get();
        if (e != null) {
            throw new NcguardException("cannot write the replay's outputs " + config.out() + " / " + config.alerts()
                    + ": " + e.getMessage() + " (progress up to the last commit is kept, run again to resume)", e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
