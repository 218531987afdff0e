package org.ncguard.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.avro.GuardVerdict;
import org.ncguard.guard.serde.GuardSerdes;
import org.ncguard.profile.GuardProfile;
import org.ncguard.testing.SharedBroker;
import org.ncguard.testing.TopicReader;

/** The guard against a real in-process Kafka broker, with a real model and profile. */
class GuardBrokerTest {

    @TempDir
    static Path dir;

    static String bootstrap;
    static Path modelFile;
    static Path profileFile;
    static GuardProfile profile;
    private final GuardSerdes serdes = GuardSerdes.singleObject();

    @BeforeAll
    static void setUp() throws Exception {
        bootstrap = SharedBroker.bootstrap();
        GuardFixtures.Served served = GuardFixtures.served(dir, "profile-1", "2026-01-01T00:00:00Z");
        modelFile = served.model();
        profile = served.profile();
        profileFile = served.profileFile();
    }

    /** A fresh requests topic (and so fresh output topics) per test. */
    static GuardConfig config(String name, int partitions) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(name, Optional.of(partitions), Optional.empty()))).all()
                    .get(30, TimeUnit.SECONDS);
            TopicSetup.awaitLeaders(admin, List.of(name));
        }
        return GuardConfig.defaults(bootstrap)
                .withTopics(new GuardTopics(name, name + ".clean", name + ".quarantine", name + ".alerts",
                        name + ".verdicts", name + ".profiles", name + ".dlq"))
                .withApplicationId("guard-" + name)
                .withKafka(Map.of("commit.interval.ms", "100",
                        // a replaced stream thread's partitions move on after 6 s, not 45
                        "consumer.session.timeout.ms", "6000", "consumer.heartbeat.interval.ms", "1000"));
    }

    static KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    byte[] encode(String id, byte[] pixels) {
        return serdes.requests().serializer().serialize("x", GuardFixtures.request(id, pixels));
    }

    static String key(ConsumerRecord<byte[], byte[]> r) {
        return new String(r.key(), StandardCharsets.UTF_8);
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void endToEndEveryRequestEndsInExactlyOnePlace() throws Exception {
        String name = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
        GuardConfig cfg = config(name, 2);
        Set<String> cleanIds = new HashSet<>();
        Set<String> triggerIds = new HashSet<>();
        Set<String> badIds = new HashSet<>();
        try (GuardApp guard = GuardApp.start(cfg, Map.of(GuardFixtures.MODEL_ID, modelFile), List.of(profileFile), 1)) {
            assertTrue(guard.awaitRunning(Duration.ofSeconds(60)), "running: " + guard.state());
            try (KafkaProducer<String, byte[]> out = producer()) {
                for (int i = 0; i < 20; i++) {
                    String id = "c" + i;
                    cleanIds.add(id);
                    out.send(new ProducerRecord<>(name, id, encode(id, GuardFixtures.clean(100 + i))));
                    if (i % 2 == 0) {
                        String t = "t" + i;
                        triggerIds.add(t);
                        out.send(new ProducerRecord<>(name, t, encode(t, GuardFixtures.triggered(100 + i))));
                    }
                    if (i % 4 == 0) {
                        String b = "b" + i;
                        badIds.add(b);
                        out.send(new ProducerRecord<>(name, b, ("not avro " + i).getBytes(StandardCharsets.UTF_8)));
                    }
                }
            }
            int total = cleanIds.size() + triggerIds.size() + badIds.size();
            try (TopicReader reader = new TopicReader(bootstrap, List.of(cfg.topics().clean(),
                    cfg.topics().quarantine(), cfg.topics().dlq()));
                    TopicReader verdicts = new TopicReader(bootstrap, List.of(cfg.topics().verdicts()))) {
                List<ConsumerRecord<byte[], byte[]>> got = reader.until(l -> l.size() >= total, Duration.ofSeconds(60));
                Map<String, String> where = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> r : got) {
                    String previous = where.put(key(r), r.topic());
                    assertEquals(null, previous, "request " + key(r) + " seen twice");
                }
                assertEquals(total, where.size());
                cleanIds.forEach(id -> assertEquals(cfg.topics().clean(), where.get(id), id));
                triggerIds.forEach(id -> assertEquals(cfg.topics().quarantine(), where.get(id), id));
                badIds.forEach(id -> assertEquals(cfg.topics().dlq(), where.get(id), id));
                got.stream().filter(r -> r.topic().equals(cfg.topics().dlq()))
                        .forEach(r -> assertEquals("not-avro", header(r, GuardHeaders.DLQ_REASON)));

                List<ConsumerRecord<byte[], byte[]>> v = verdicts.until(l -> l.size() >= total - badIds.size(),
                        Duration.ofSeconds(30));
                assertEquals(total - badIds.size(), v.size());
                long drops = v.stream().map(r -> serdes.verdicts().deserializer().deserialize("v", r.value()))
                        .filter(x -> x.getAction().equals("drop")).count();
                assertEquals(triggerIds.size(), drops);
            }
            String metrics = guard.scrape();
            assertTrue(metrics.contains("ncguard_requests_total{model=\"tiny\"} 30.0"), metrics);
            assertTrue(metrics.contains("ncguard_dlq_total{reason=\"not-avro\"} 5.0"), metrics);
            assertTrue(metrics.contains("kafka_stream"), "Kafka Streams' own metrics are bound");
        }
    }

    @Test
    void profilePublishedWhileTrafficFlowsAppliesWithoutRestart() throws Exception {
        String name = "reload-" + UUID.randomUUID().toString().substring(0, 8);
        GuardConfig cfg = config(name, 1);
        try (GuardApp guard = GuardApp.start(cfg, Map.of(GuardFixtures.MODEL_ID, modelFile), List.of(), 1);
                KafkaProducer<String, byte[]> out = producer();
                TopicReader reader = new TopicReader(bootstrap, List.of(cfg.topics().clean(),
                        cfg.topics().quarantine()))) {
            assertTrue(guard.awaitRunning(Duration.ofSeconds(60)));
            int sent = 0;
            List<ConsumerRecord<byte[], byte[]>> got = List.of();
            boolean published = false;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < end) {
                String id = "t" + sent++;
                out.send(new ProducerRecord<>(name, id, encode(id, GuardFixtures.triggered(sent))));
                out.flush();
                got = reader.settle(Duration.ofMillis(50));
                if (!published && got.size() >= 5) {
                    Properties p = new Properties();
                    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
                    ProfilePublisher.publish(p, cfg.topics().profiles(), profile, serdes);
                    published = true;
                }
                if (got.stream().filter(r -> r.topic().equals(cfg.topics().quarantine())).count() >= 5) {
                    break;
                }
            }
            final int total = sent;
            got = reader.until(l -> l.size() >= total, Duration.ofSeconds(30));
            assertTrue(published);
            long passedBefore = got.stream().filter(r -> r.topic().equals(cfg.topics().clean())).count();
            assertTrue(passedBefore >= 5, "requests before the profile pass: " + passedBefore);
            assertTrue(got.stream().filter(r -> r.topic().equals(cfg.topics().quarantine())).count() >= 5);
            Set<String> ids = new HashSet<>();
            got.forEach(r -> assertTrue(ids.add(key(r)), "seen twice: " + key(r)));
            assertEquals(total, ids.size(), "nothing lost");
            // Once dropping started, nothing passes again: the profile stays in force.
            int firstDrop = -1;
            for (int i = 0; i < got.size(); i++) {
                if (got.get(i).topic().equals(cfg.topics().quarantine())) {
                    firstDrop = i;
                    break;
                }
            }
            for (int i = firstDrop; i < got.size(); i++) {
                assertEquals(cfg.topics().quarantine(), got.get(i).topic(), "after the first drop: " + key(got.get(i)));
                assertEquals("profile-1", header(got.get(i), GuardHeaders.PROFILE));
            }
            assertEquals(1, guard.engine().profiles().version(profile.modelSha256()));
        }
        // A restarted guard, given no profile file, finds the published profile in the topic.
        try (GuardApp again = GuardApp.start(cfg, Map.of(GuardFixtures.MODEL_ID, modelFile), List.of(), 1);
                KafkaProducer<String, byte[]> out = producer();
                TopicReader reader = new TopicReader(bootstrap, List.of(cfg.topics().quarantine()))) {
            assertTrue(again.awaitRunning(Duration.ofSeconds(60)));
            out.send(new ProducerRecord<>(name, "after-restart", encode("after-restart", GuardFixtures.triggered(9))));
            out.flush();
            assertTrue(reader.until(l -> l.stream().anyMatch(r -> key(r).equals("after-restart")),
                    Duration.ofSeconds(30)).stream().anyMatch(r -> key(r).equals("after-restart")),
                    "dropped by the profile read back from the topic");
            assertEquals(1, again.engine().profiles().version(profile.modelSha256()));
        }
    }

    @Test
    void requestTheBrokerRefusesOnTheWayOutGoesToTheDeadLetterTopic() throws Exception {
        String name = "refused-" + UUID.randomUUID().toString().substring(0, 8);
        GuardConfig cfg = config(name, 1);
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(cfg.topics().clean(), Optional.of(1), Optional.empty())
                    .configs(Map.of("max.message.bytes", "3000")))).all().get(30, TimeUnit.SECONDS);
        }
        try (GuardApp guard = GuardApp.start(cfg, Map.of(GuardFixtures.MODEL_ID, modelFile), List.of(profileFile), 1);
                KafkaProducer<String, byte[]> out = producer();
                TopicReader reader = new TopicReader(bootstrap, List.of(cfg.topics().clean(),
                        cfg.topics().quarantine(), cfg.topics().dlq()))) {
            assertTrue(guard.awaitRunning(Duration.ofSeconds(60)));
            org.ncguard.avro.InferenceRequest big = GuardFixtures.request("big", GuardFixtures.clean(1));
            big.setMetadata(Map.of("note", "x".repeat(5000)));
            out.send(new ProducerRecord<>(name, "big", serdes.requests().serializer().serialize(name, big)));
            out.send(new ProducerRecord<>(name, "ok", encode("ok", GuardFixtures.clean(2))));
            out.flush();
            List<ConsumerRecord<byte[], byte[]>> got = reader.until(l -> l.size() >= 2, Duration.ofSeconds(60));
            got = reader.settle(Duration.ofMillis(500));
            Map<String, String> where = new HashMap<>();
            got.forEach(r -> assertEquals(null, where.put(key(r), r.topic()), "seen twice: " + key(r)));
            assertEquals(cfg.topics().dlq(), where.get("big"));
            assertEquals(cfg.topics().clean(), where.get("ok"));
            ConsumerRecord<byte[], byte[]> dead = got.stream().filter(r -> key(r).equals("big")).findFirst()
                    .orElseThrow();
            assertEquals("output-rejected", header(dead, GuardHeaders.DLQ_REASON));
            assertEquals(KafkaStreams.State.RUNNING, guard.state());
        }
    }

    @Test
    void recordRefusedAfterTheTopicLimitShrankIsDeadLetteredOnRetryUnderEitherGuarantee() throws Exception {
        for (Guarantee g : Guarantee.values()) {
            refusedAfterTheLimitShrank(g);
        }
    }

    private void refusedAfterTheLimitShrank(Guarantee guarantee) throws Exception {
        String name = "late-limit-" + UUID.randomUUID().toString().substring(0, 8);
        GuardConfig cfg = config(name, 1).withGuarantee(guarantee);
        try (GuardApp guard = GuardApp.start(cfg, Map.of(GuardFixtures.MODEL_ID, modelFile), List.of(profileFile), 1);
                KafkaProducer<String, byte[]> out = producer();
                TopicReader reader = new TopicReader(bootstrap, List.of(cfg.topics().clean(),
                        cfg.topics().quarantine(), cfg.topics().dlq()))) {
            assertTrue(guard.awaitRunning(Duration.ofSeconds(60)));
            // The limit shrinks after the guard read it: only the broker can refuse the record now.
            Properties p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            try (Admin admin = Admin.create(p)) {
                org.apache.kafka.common.config.ConfigResource topic = new org.apache.kafka.common.config.ConfigResource(
                        org.apache.kafka.common.config.ConfigResource.Type.TOPIC, cfg.topics().clean());
                admin.incrementalAlterConfigs(Map.of(topic, List.of(new org.apache.kafka.clients.admin.AlterConfigOp(
                        new org.apache.kafka.clients.admin.ConfigEntry("max.message.bytes", "3000"),
                        org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
            }
            org.ncguard.avro.InferenceRequest big = GuardFixtures.request("big", GuardFixtures.clean(1));
            big.setMetadata(Map.of("note", "x".repeat(5000)));
            out.send(new ProducerRecord<>(name, "big", serdes.requests().serializer().serialize(name, big)));
            out.send(new ProducerRecord<>(name, "ok", encode("ok", GuardFixtures.clean(2))));
            out.flush();
            List<ConsumerRecord<byte[], byte[]>> got = reader.until(l -> l.size() >= 2, Duration.ofSeconds(60));
            got = reader.settle(Duration.ofMillis(500));
            Map<String, Set<String>> where = new HashMap<>();
            got.forEach(r -> where.computeIfAbsent(key(r), k -> new HashSet<>()).add(r.topic()));
            assertEquals(Set.of(cfg.topics().dlq()), where.get("big"), guarantee.name());
            assertEquals(Set.of(cfg.topics().clean()), where.get("ok"), guarantee.name());
            if (guarantee == Guarantee.EXACTLY_ONCE) {
                assertEquals(2, got.size(), "exactly once: " + got.size() + " records");
            } // at-least-once may repeat what was sent since the last commit
            assertEquals("output-rejected", header(got.stream().filter(r -> key(r).equals("big")).findFirst()
                    .orElseThrow(), GuardHeaders.DLQ_REASON));
            assertEquals(KafkaStreams.State.RUNNING, guard.state());
        }
    }
}
