package org.ncguard.guard;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;

/** Kafka Streams properties for a {@link GuardConfig}: the guard's defaults, then the user's overrides. */
public final class GuardStreamsConfig {

    private static final String GLOBAL_HANDLER = "processing.exception.handler.global.enabled";

    private GuardStreamsConfig() {
    }

    /** The properties {@link GuardApp} starts Kafka Streams with (and the tests' TopologyTestDriver). */
    public static Properties of(GuardConfig config) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.guarantee().streamsValue());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, config.topics().dlq());
        // The global thread (profiles) takes the handler too: Kafka 5.0's default, whose 4.x switch is deprecated.
        p.put(GLOBAL_HANDLER, true);
        // Streams' partition assignor re-reads its settings from the main consumer's, which carry only `consumer.`
        // keys of this kind, and warned on every rebalance that the switch was off.
        p.put(StreamsConfig.consumerPrefix(GLOBAL_HANDLER), true);
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, OutputRejectionHandler.class);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // Streams lets its producer linger 100 ms to fill batches: on a quiet inline guard that is 100 ms added to
        // every at-least-once request. Under load, batches still fill; under exactly-once, each commit sends anyway.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 1);
        if (config.guarantee() == Guarantee.EXACTLY_ONCE) {
            // A transaction begun while the last one's commit markers are still being written is refused with
            // CONCURRENT_TRANSACTIONS and retried after retry.backoff.ms: 100 ms by default, which put a commit
            // interval's wait on some records (bench --guard: p99 160 ms at 100 ms, 120 ms at 1-20 ms).
            p.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), 10);
        }
        p.putAll(config.kafka());
        return p;
    }
}
