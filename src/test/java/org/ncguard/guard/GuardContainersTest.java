package org.ncguard.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.guard.serde.GuardSerdes;
import org.ncguard.testing.TopicReader;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The guard end to end against Apache Kafka's own image and an Apicurio Registry image, as a deployment would run
 * them. Skipped where no Docker engine runs; the in-process broker tests (GuardBrokerTest, GuardRegistryBrokerTest)
 * cover the same behaviour everywhere.
 */
@Testcontainers(disabledWithoutDocker = true)
class GuardContainersTest {

    /** The pom's Kafka version. */
    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.4.0");

    @Container
    static final GenericContainer<?> REGISTRY = new GenericContainer<>("apicurio/apicurio-registry:3.0.9")
            .withExposedPorts(8080)
            .waitingFor(Wait.forHttp("/apis/registry/v3/system/info").forStatusCode(200));

    @TempDir
    static Path dir;

    static Path modelFile;
    static Path profileFile;

    @BeforeAll
    static void setUp() throws Exception {
        GuardFixtures.Served served = GuardFixtures.served(dir, "containers", "2026-01-01T00:00:00Z");
        modelFile = served.model();
        profileFile = served.profileFile();
    }

    @Test
    void routesRequestsThroughAKafkaContainer() throws Exception {
        assertRoutes(GuardConfig.defaults(KAFKA.getBootstrapServers()).withTopics(GuardTopics.forRequests("plain")),
                GuardSerdes.singleObject());
    }

    @Test
    void routesRegistryEncodedRequestsWithAnApicurioContainer() throws Exception {
        String url = "http://" + REGISTRY.getHost() + ":" + REGISTRY.getMappedPort(8080) + "/apis/registry/v3";
        assertRoutes(GuardConfig.defaults(KAFKA.getBootstrapServers()).withTopics(GuardTopics.forRequests("registry"))
                .withApplicationId("guard-registry").withRegistryUrl(url), GuardSerdes.registry(url));
    }

    /** Clean requests to the clean topic, triggered ones to quarantine, each exactly once. */
    private static void assertRoutes(GuardConfig base, GuardSerdes serdes) throws Exception {
        GuardConfig cfg = base.withKafka(Map.of("commit.interval.ms", "100",
                "state.dir", dir.resolve("state-" + base.applicationId()).toString()));
        GuardTopics t = cfg.topics();
        try (GuardApp guard = GuardApp.start(cfg, Map.of(GuardFixtures.MODEL_ID, modelFile), List.of(profileFile), 1);
                KafkaProducer<String, byte[]> out = new KafkaProducer<>(ClientSettings.of(cfg.bootstrap(), Map.of()),
                        new StringSerializer(), new ByteArraySerializer());
                TopicReader reader = new TopicReader(cfg.bootstrap(), List.of(t.clean(), t.quarantine()))) {
            assertTrue(guard.awaitRunning(Duration.ofSeconds(60)), "running: " + guard.state());
            for (int i = 0; i < 5; i++) {
                out.send(new ProducerRecord<>(t.requests(), "c" + i, serdes.requests().serializer().serialize(
                        t.requests(), GuardFixtures.request("c" + i, GuardFixtures.clean(i)))));
                out.send(new ProducerRecord<>(t.requests(), "t" + i, serdes.requests().serializer().serialize(
                        t.requests(), GuardFixtures.request("t" + i, GuardFixtures.triggered(i)))));
            }
            out.flush();
            List<ConsumerRecord<byte[], byte[]>> got = reader.until(l -> l.size() >= 10, Duration.ofSeconds(60));
            Map<String, String> where = new HashMap<>();
            got.forEach(r -> assertEquals(null, where.put(new String(r.key(), StandardCharsets.UTF_8), r.topic()),
                    "seen twice"));
            assertEquals(10, where.size(), where.toString());
            where.forEach((id, topic) -> assertEquals(id.startsWith("c") ? t.clean() : t.quarantine(), topic, id));
        }
    }
}
