package org.ncguard.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.avro.Tensor;
import org.ncguard.guard.serde.GuardSerdes;
import org.ncguard.profile.GuardProfile;
import org.ncguard.testing.SharedBroker;
import org.ncguard.testing.TopicReader;

/**
 * A fuzzed stream against the running guard: random bytes, truncated and bit-flipped Avro, wrong shapes, NaN, null
 * values and null keys among good requests. Every record ends in exactly one of clean, quarantine or the dead-letter
 * topic, and the guard is still running afterwards.
 */
class GuardFuzzBrokerTest {

    @TempDir
    static Path dir;

    static Path modelFile;
    static GuardProfile profile;
    private final GuardSerdes serdes = GuardSerdes.singleObject();

    @BeforeAll
    static void setUp() throws Exception {
        GuardBrokerTest.bootstrap = SharedBroker.bootstrap();
        GuardFixtures.Served served = GuardFixtures.served(dir, "profile-1", "2026-01-01T00:00:00Z");
        modelFile = served.model();
        profile = served.profile();
    }

    private byte[] encode(String id, Tensor t) {
        return serdes.requests().serializer().serialize("x", GuardFixtures.request(id, GuardFixtures.MODEL_ID, t,
                null));
    }

    @Test
    void fuzzedStreamLosesNothingAndTheGuardStaysUp() throws Exception {
        String name = "fuzz-" + UUID.randomUUID().toString().substring(0, 8);
        // Two stream threads on two partitions: two tasks score at once on the shared ONNX Runtime session.
        GuardConfig cfg = GuardBrokerTest.config(name, 2).withStreamThreads(2);
        SplittableRandom random = new SplittableRandom(2024);
        int n = 400;
        Map<String, Integer> kinds = new HashMap<>();
        try (GuardApp guard = GuardApp.start(cfg, org.ncguard.guard.score.ServedModels.of(
                List.of(GuardFixtures.runner(modelFile))), List.of(profile))) {
            assertTrue(guard.awaitRunning(Duration.ofSeconds(60)));
            try (KafkaProducer<String, byte[]> out = GuardBrokerTest.producer()) {
                for (int i = 0; i < n; i++) {
                    String id = "f" + i;
                    int kind = random.nextInt(8);
                    kinds.put(id, kind);
                    byte[] valid = encode(id, GuardFixtures.tensor(kind == 1 ? GuardFixtures.triggered(i)
                            : GuardFixtures.clean(i)));
                    byte[] value = switch (kind) {
                        case 0, 1 -> valid;
                        case 2 -> {
                            byte[] b = new byte[random.nextInt(200)];
                            random.nextBytes(b);
                            yield b;
                        }
                        case 3 -> Arrays.copyOf(valid, 10 + random.nextInt(valid.length - 11));
                        case 4 -> {
                            byte[] b = valid.clone();
                            for (int f = 0, flips = 1 + random.nextInt(3); f < flips; f++) {
                                b[2 + random.nextInt(b.length - 2)] ^= (byte) (1 + random.nextInt(255));
                            }
                            yield b;
                        }
                        case 5 -> encode(id, new Tensor("UINT8", List.of((long) 1 + random.nextInt(8),
                                (long) 1 + random.nextInt(8), 1L), java.nio.ByteBuffer.wrap(new byte[7])));
                        case 6 -> {
                            float[] v = new float[64];
                            v[random.nextInt(64)] = random.nextBoolean() ? Float.NaN : Float.NEGATIVE_INFINITY;
                            yield serdes.requests().serializer().serialize("x", GuardFixtures.request(id,
                                    GuardFixtures.MODEL_ID, GuardFixtures.fp32(List.of(1L, 1L, 8L, 8L), v), null));
                        }
                        default -> null;
                    };
                    String key = random.nextInt(10) == 0 ? null : id;
                    RecordHeaders h = new RecordHeaders();
                    h.add("fuzz-id", id.getBytes(StandardCharsets.UTF_8));
                    out.send(new ProducerRecord<>(name, null, key, value, h));
                }
            }
            try (TopicReader reader = new TopicReader(GuardBrokerTest.bootstrap, List.of(cfg.topics().clean(),
                    cfg.topics().quarantine(), cfg.topics().dlq()))) {
                reader.until(l -> l.size() >= n, Duration.ofSeconds(90));
                List<ConsumerRecord<byte[], byte[]>> got = reader.settle(Duration.ofSeconds(1));
                Map<String, String> where = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> r : got) {
                    String id = new String(r.headers().lastHeader("fuzz-id").value(), StandardCharsets.UTF_8);
                    String previous = where.put(id, r.topic());
                    assertEquals(null, previous, id + " (kind " + kinds.get(id) + ") in " + previous + " and "
                            + r.topic());
                }
                assertEquals(n, where.size(), "every fuzzed record ends somewhere");
                for (Map.Entry<String, Integer> e : kinds.entrySet()) {
                    String expected = switch (e.getValue()) {
                        case 0 -> cfg.topics().clean();
                        case 1 -> cfg.topics().quarantine();
                        case 4 -> where.get(e.getKey());
                        default -> cfg.topics().dlq();
                    };
                    assertEquals(expected, where.get(e.getKey()), e.getKey() + " kind " + e.getValue());
                }
            }
            assertEquals(KafkaStreams.State.RUNNING, guard.state());
            assertTrue(guard.ready());
        }
    }
}
