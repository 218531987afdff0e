package org.ncguard.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The Kafka Streams settings the guard starts with, and that the user's own settings come last. */
class GuardStreamsConfigTest {

    private static final String RETRY_BACKOFF = "producer.retry.backoff.ms";

    @Test
    void exactlyOnceRetriesAConcurrentTransactionSoonerThanKafkasDefault() {
        Properties p = GuardStreamsConfig.of(GuardConfig.defaults("localhost:9092")
                .withGuarantee(Guarantee.EXACTLY_ONCE));
        assertEquals("exactly_once_v2", p.get("processing.guarantee"));
        assertEquals(10, p.get(RETRY_BACKOFF));
        assertEquals(1, p.get("producer.linger.ms"));
    }

    @Test
    void atLeastOnceKeepsKafkasRetryBackoff() {
        Properties p = GuardStreamsConfig.of(GuardConfig.defaults("localhost:9092")
                .withGuarantee(Guarantee.AT_LEAST_ONCE));
        assertEquals("at_least_once", p.get("processing.guarantee"));
        assertNull(p.get(RETRY_BACKOFF));
    }

    @Test
    void theUsersSettingsOverrideTheGuardsOwn() {
        Properties p = GuardStreamsConfig.of(GuardConfig.defaults("localhost:9092")
                .withGuarantee(Guarantee.EXACTLY_ONCE).withKafka(Map.of(RETRY_BACKOFF, "250", "producer.linger.ms", "20")));
        assertEquals("250", p.get(RETRY_BACKOFF));
        assertEquals("20", p.get("producer.linger.ms"));
    }

    @Test
    void thePartitionAssignorSeesTheGlobalThreadsHandlerOn() {
        // The assignor builds its StreamsConfig from the main consumer's settings; with the switch off there it warns.
        StreamsConfig streams = new StreamsConfig(GuardStreamsConfig.of(GuardConfig.defaults("localhost:9092")));
        StreamsConfig assignors = new StreamsConfig(streams.getMainConsumerConfigs("group", "client", 0));
        assertEquals(true, assignors.getBoolean("processing.exception.handler.global.enabled"));
    }
}
