package org.ncguard.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.avro.GuardVerdict;
import org.ncguard.guard.score.ServedModels;
import org.ncguard.guard.serde.GuardSerdes;
import org.ncguard.profile.GuardProfile;
import org.ncguard.testing.ApicurioRegistry;
import org.ncguard.testing.SharedBroker;
import org.ncguard.testing.TopicReader;

/**
 * Registry mode against a real Apicurio Registry process: requests, verdicts and profiles in the Confluent wire format
 * (byte 0, 4-byte schema id, body), schemas registered on first use, single-object records dead-lettered.
 */
class GuardRegistryBrokerTest {

    @TempDir
    Path dir;

    @Test
    void guardReadsAndWritesTheConfluentWireFormatThroughTheRegistry() throws Exception {
        String bootstrap = SharedBroker.bootstrap();
        GuardBrokerTest.bootstrap = bootstrap;
        GuardFixtures.Served served = GuardFixtures.served(dir, "registry-profile", "2026-01-01T00:00:00Z");
        Path modelFile = served.model();
        GuardProfile profile = served.profile();
        try (ApicurioRegistry registry = ApicurioRegistry.start(dir.resolve("registry.log"))) {
            GuardSerdes serdes = GuardSerdes.registry(registry.url());
            String name = "reg-" + UUID.randomUUID().toString().substring(0, 8);
            GuardConfig cfg = GuardBrokerTest.config(name, 1).withRegistryUrl(registry.url());
            try (GuardApp guard = GuardApp.start(cfg, ServedModels.of(List.of(GuardFixtures.runner(modelFile))),
                    List.of());
                    KafkaProducer<String, byte[]> out = GuardBrokerTest.producer();
                    TopicReader reader = new TopicReader(bootstrap, List.of(cfg.topics().clean(),
                            cfg.topics().quarantine(), cfg.topics().dlq()));
                    TopicReader verdicts = new TopicReader(bootstrap, List.of(cfg.topics().verdicts()))) {
                assertTrue(guard.awaitRunning(Duration.ofSeconds(60)));
                Properties p = new Properties();
                p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
                ProfilePublisher.publish(p, cfg.topics().profiles(), profile, serdes);
                long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (guard.engine().profiles().version(profile.modelSha256()) == 0 && System.nanoTime() < end) {
                    Thread.sleep(100);
                }
                assertEquals(1, guard.engine().profiles().version(profile.modelSha256()), "registry-format profile");

                byte[] cleanValue = serdes.requests().serializer().serialize(name,
                        GuardFixtures.request("c1", GuardFixtures.clean(1)));
                assertEquals(0, cleanValue[0], "Confluent wire format: magic byte 0");
                out.send(new ProducerRecord<>(name, "c1", cleanValue));
                out.send(new ProducerRecord<>(name, "t1", serdes.requests().serializer().serialize(name,
                        GuardFixtures.request("t1", GuardFixtures.triggered(1)))));
                out.send(new ProducerRecord<>(name, "so", GuardSerdes.singleObject().requests().serializer()
                        .serialize(name, GuardFixtures.request("so", GuardFixtures.clean(2)))));
                out.send(new ProducerRecord<>(name, "ws", serdes.verdicts().serializer().serialize(name,
                        new GuardVerdict("v", "m", "s", null, null, "pass", null, null, null, 1L, Instant.EPOCH,
                                false))));
                out.flush();

                List<ConsumerRecord<byte[], byte[]>> got = reader.until(l -> l.size() >= 4, Duration.ofSeconds(60));
                Map<String, ConsumerRecord<byte[], byte[]>> byKey = new HashMap<>();
                got.forEach(r -> byKey.put(new String(r.key(), StandardCharsets.UTF_8), r));
                assertEquals(cfg.topics().clean(), byKey.get("c1").topic());
                assertEquals(cfg.topics().quarantine(), byKey.get("t1").topic());
                assertEquals(cfg.topics().dlq(), byKey.get("so").topic());
                assertEquals("not-avro", GuardBrokerTest.header(byKey.get("so"), GuardHeaders.DLQ_REASON));
                assertEquals(cfg.topics().dlq(), byKey.get("ws").topic());
                assertEquals("wrong-schema", GuardBrokerTest.header(byKey.get("ws"), GuardHeaders.DLQ_REASON));

                List<ConsumerRecord<byte[], byte[]>> v = verdicts.until(l -> l.size() >= 2, Duration.ofSeconds(30));
                assertEquals(2, v.size());
                byte[] verdictBytes = v.get(1).value();
                assertEquals(0, verdictBytes[0], "verdicts in the Confluent wire format too");
                GuardVerdict dropped = serdes.verdicts().deserializer().deserialize(cfg.topics().verdicts(),
                        verdictBytes);
                assertEquals("drop", dropped.getAction());
                assertEquals("registry-profile", dropped.getProfileId());

                // The id in the request's bytes is the Confluent-compatible API's id of the InferenceRequest schema.
                int id = ByteBuffer.wrap(cleanValue, 1, 4).getInt();
                HttpResponse<String> schema = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(registry.confluentUrl() + "/schemas/ids/" + id)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, schema.statusCode(), schema.body());
                assertTrue(schema.body().contains("InferenceRequest"), schema.body());
            }

            // apicurio.registry.* settings (from --config) reach the serde: without auto-registration, a topic whose
            // schema the registry has never seen cannot be written; the default serde then registers it.
            GuardVerdict verdict = new GuardVerdict("v", "m", "s", null, null, "pass", null, null, null, 1L,
                    Instant.EPOCH, false);
            String topic = "strict-" + UUID.randomUUID();
            GuardSerdes strict = GuardSerdes.registry(registry.url(), Map.of("apicurio.registry.auto-register",
                    "false", "security.protocol", "PLAINTEXT"));
            Exception refused = assertThrows(Exception.class, () -> strict.verdicts().serializer().serialize(topic,
                    verdict));
            assertTrue(String.valueOf(refused).contains("Could not resolve artifact"), refused.toString());
            assertEquals(0, serdes.verdicts().serializer().serialize(topic, verdict)[0], "the control registers it");
        }
    }
}
