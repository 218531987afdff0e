package org.ncguard.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.NcguardException;
import org.ncguard.avro.GuardAlert;
import org.ncguard.avro.GuardVerdict;
import org.ncguard.cli.Main;
import org.ncguard.guard.replay.ReplayConfig;
import org.ncguard.guard.replay.ReplayRange;
import org.ncguard.guard.replay.ReplaySummary;
import org.ncguard.guard.replay.Replayer;
import org.ncguard.guard.score.ModelRunner;
import org.ncguard.guard.score.ServedModels;
import org.ncguard.guard.serde.GuardSerdes;
import org.ncguard.profile.GuardProfile;
import org.ncguard.profile.ProfileJson;
import org.ncguard.testing.SharedBroker;
import org.ncguard.testing.TopicReader;

/**
 * Replay of retained traffic against a real in-process broker, with a real ONNX model run by ONNX Runtime and a
 * profile calibrated on that model's own activations. Thirty requests one second apart over two partitions: every
 * third one stamped with the trigger, request 14 not Avro at all; the replays read seconds 10 to 20.
 */
class ReplayBrokerTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final int COUNT = 30;
    private static final int CORRUPT = 14;

    @TempDir
    static Path dir;

    static String bootstrap;
    static Path modelFile;
    static Path profileFile;
    static GuardProfile profile;
    static GuardProfile foreign;
    private final GuardSerdes serdes = GuardSerdes.singleObject();

    @BeforeAll
    static void setUp() throws Exception {
        bootstrap = SharedBroker.bootstrap();
        GuardFixtures.Served served = GuardFixtures.served(dir, "replay-profile", "2026-02-01T00:00:00Z");
        modelFile = served.model();
        profile = served.profile();
        profileFile = served.profileFile();
        try (ModelRunner m = GuardFixtures.runner(modelFile)) {
            foreign = GuardFixtures.profile("ab".repeat(32), m, "foreign", "2026-02-01T00:00:00Z", profile.labels());
        }
    }

    private static boolean stamped(int i) {
        return i % 3 == 0 && i != CORRUPT;
    }

    /** A fresh requests topic of two partitions holding the thirty requests; returns its name. */
    private String requestsTopic() throws Exception {
        String name = "replay-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(adminProps())) {
            // The requests carry March 2026 timestamps: under the broker's default 7-day retention its next check
            // (every 5 minutes) would delete them while a test reads them.
            admin.createTopics(List.of(new NewTopic(name, Optional.of(2), Optional.empty())
                    .configs(Map.of("retention.ms", "-1")))).all().get(30, TimeUnit.SECONDS);
            TopicSetup.awaitLeaders(admin, List.of(name));
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<String, byte[]> out = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < COUNT; i++) {
                String id = name + "-r" + i;
                byte[] value = i == CORRUPT ? ("not avro " + i).getBytes(StandardCharsets.UTF_8)
                        : serdes.requests().serializer().serialize(name, GuardFixtures.request(id,
                        stamped(i) ? GuardFixtures.triggered(100 + i) : GuardFixtures.clean(100 + i)));
                out.send(new ProducerRecord<>(name, i % 2, T0.plusSeconds(i).toEpochMilli(), id, value));
            }
            out.flush();
        }
        return name;
    }

    private static Properties adminProps() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return p;
    }

    private static ReplayRange seconds10to20() {
        return new ReplayRange(T0.plusSeconds(10), T0.plusSeconds(20));
    }

    private ReplaySummary replay(ReplayConfig cfg, GuardProfile p) throws Exception {
        try (ServedModels models = ServedModels.load(Map.of(GuardFixtures.MODEL_ID, modelFile), 1)) {
            return new Replayer(cfg, models, p, serdes, System.err).run();
        }
    }

    /** End offsets of the topics among {@code names} that exist. */
    private static Map<TopicPartition, Long> ends(List<String> names) throws Exception {
        try (Admin admin = Admin.create(adminProps())) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
            for (String t : names) {
                if (existing.contains(t)) {
                    admin.describeTopics(List.of(t)).allTopicNames().get(30, TimeUnit.SECONDS).get(t).partitions()
                            .forEach(pi -> ask.put(new TopicPartition(t, pi.partition()), OffsetSpec.latest()));
                }
            }
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listOffsets(ask).all().get(30, TimeUnit.SECONDS).forEach((tp, r) -> out.put(tp, r.offset()));
            return out;
        }
    }

    @Test
    void replaysTheSubRangeFlagsTheStampedRequestsAndLeavesTheLiveGuardAlone() throws Exception {
        String name = requestsTopic();
        List<String> live = List.of(name + ".clean", name + ".quarantine", "guard.verdicts", "guard.alerts",
                "guard.dlq", "guard.profiles");
        Map<TopicPartition, Long> liveBefore = ends(live);
        ReplayConfig cfg = ReplayConfig.of(bootstrap, name, name + ".replay", seconds10to20());

        ReplaySummary s = replay(cfg, profile);

        Set<String> expectedScored = new HashSet<>();
        Set<String> expectedFlagged = new HashSet<>();
        for (int i = 10; i < 20; i++) {
            if (i != CORRUPT) {
                expectedScored.add(name + "-r" + i);
            }
            if (stamped(i)) {
                expectedFlagged.add(name + "-r" + i);
            }
        }
        assertEquals(10, s.requestsRead(), s.text());
        assertEquals(9, s.scored(), s.text());
        assertEquals(Map.of(GuardFixtures.SUSPECT_LABEL, (long) expectedFlagged.size()), s.flaggedByLabel(), s.text());
        assertEquals(expectedFlagged, new HashSet<>(s.examplesByLabel().get(GuardFixtures.SUSPECT_LABEL)));
        assertEquals(Map.of("not-avro", 1L), s.unreadableByReason(), s.text());
        assertTrue(s.unreadableExamples().get(0).contains(name + "-0@"), s.unreadableExamples().toString());
        assertEquals(T0.plusSeconds(10), s.firstSeen());
        assertEquals(T0.plusSeconds(19), s.lastSeen());
        assertFalse(s.resumed());

        try (TopicReader reader = new TopicReader(bootstrap, List.of(cfg.out()));
                TopicReader alerts = new TopicReader(bootstrap, List.of(cfg.alerts()))) {
            List<ConsumerRecord<byte[], byte[]>> got = reader.until(l -> l.size() >= 9, Duration.ofSeconds(30));
            assertEquals(9, got.size());
            Set<String> ids = new HashSet<>();
            Set<String> flagged = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> r : got) {
                GuardVerdict v = serdes.verdicts().deserializer().deserialize(r.topic(), r.value());
                assertTrue(v.getReplay(), "replay: true on " + v);
                assertEquals("replay-profile", v.getProfileId());
                ids.add(v.getRequestId());
                if (v.getAction().equals("flag")) {
                    flagged.add(v.getRequestId());
                }
            }
            assertEquals(expectedScored, ids);
            assertEquals(expectedFlagged, flagged);
            List<ConsumerRecord<byte[], byte[]>> a = alerts.until(l -> l.size() >= 3, Duration.ofSeconds(30));
            Set<String> alerted = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> r : a) {
                GuardAlert alert = serdes.alerts().deserializer().deserialize(r.topic(), r.value());
                assertEquals("suspicious-request", alert.getKind());
                assertTrue(alert.getVerdict().getReplay());
                assertEquals(name, alert.getTopic());
                alerted.add(alert.getVerdict().getRequestId());
            }
            assertEquals(expectedFlagged, alerted);
        }

        assertEquals(liveBefore, ends(live), "the live topics are untouched");
        try (Admin admin = Admin.create(adminProps())) {
            Map<TopicPartition, OffsetAndMetadata> liveGroup = admin.listConsumerGroupOffsets(
                    GuardConfig.DEFAULT_APPLICATION_ID).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            assertTrue(liveGroup.keySet().stream().noneMatch(tp -> tp.topic().equals(name)), liveGroup.toString());
            Map<TopicPartition, OffsetAndMetadata> own = admin.listConsumerGroupOffsets(cfg.groupId())
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            assertEquals(2, own.size(), "progress kept in the replay's own group: " + own);
        }

        ReplaySummary again = replay(cfg, profile);
        assertEquals(0, again.requestsRead(), again.text());
        assertTrue(again.resumed());
        try (TopicReader reader = new TopicReader(bootstrap, List.of(cfg.out()))) {
            assertEquals(9, reader.settle(Duration.ofSeconds(2)).size(), "the second run wrote nothing");
        }

        ReplaySummary restarted = replay(cfg.withRestart(true), profile);
        assertEquals(10, restarted.requestsRead(), restarted.text());
    }

    @Test
    void aRunningGuardKeepsItsOffsetsAndTopicsWhileTheSameTrafficIsReplayed() throws Exception {
        String name = requestsTopic();
        GuardConfig cfg = GuardConfig.defaults(bootstrap)
                .withTopics(new GuardTopics(name, name + ".clean", name + ".quarantine", name + ".alerts",
                        name + ".verdicts", name + ".profiles", name + ".dlq"))
                .withApplicationId("guard-" + name)
                .withGuarantee(Guarantee.AT_LEAST_ONCE)
                .withKafka(Map.of("commit.interval.ms", "100"));
        List<String> live = List.of(name + ".clean", name + ".quarantine", name + ".alerts", name + ".verdicts",
                name + ".dlq");
        try (GuardApp guard = GuardApp.start(cfg, Map.of(GuardFixtures.MODEL_ID, modelFile), List.of(profileFile), 1);
                TopicReader routed = new TopicReader(bootstrap, List.of(name + ".clean", name + ".quarantine",
                        name + ".dlq"));
                Admin admin = Admin.create(adminProps())) {
            assertTrue(guard.awaitRunning(Duration.ofSeconds(60)), "running: " + guard.state());
            assertEquals(COUNT, routed.until(l -> l.size() >= COUNT, Duration.ofSeconds(60)).size());
            Map<TopicPartition, OffsetAndMetadata> before = Map.of();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < end && before.values().stream().mapToLong(OffsetAndMetadata::offset).sum()
                    < COUNT) {
                Thread.sleep(200);
                before = admin.listConsumerGroupOffsets(cfg.applicationId()).partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS);
            }
            assertEquals(COUNT, before.values().stream().mapToLong(OffsetAndMetadata::offset).sum(), before.toString());
            Map<TopicPartition, Long> liveBefore = ends(live);

            ReplayConfig replay = ReplayConfig.of(bootstrap, name, name + ".replay", seconds10to20());
            ReplaySummary s = replay(replay, profile);
            assertEquals(9, s.scored(), s.text());

            assertEquals(before, admin.listConsumerGroupOffsets(cfg.applicationId()).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS), "the live guard's offsets");
            assertEquals(liveBefore, ends(live), "the live guard's topics");
            assertEquals(org.apache.kafka.streams.KafkaStreams.State.RUNNING, guard.state());
        }
    }

    @Test
    void aLongerRangeIntoTheSameOutputResumesAndActivationsOnlyRequestsAreScored() throws Exception {
        String name = requestsTopic();
        List<Float> stampedActivations = new java.util.ArrayList<>();
        try (ModelRunner m = GuardFixtures.runner(modelFile)) {
            for (float a : GuardFixtures.activations(m, GuardFixtures.triggered(200))) {
                stampedActivations.add(a);
            }
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<String, byte[]> out = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            out.send(new ProducerRecord<>(name, 0, T0.plusSeconds(30).toEpochMilli(), "acts", serdes.requests()
                    .serializer().serialize(name, GuardFixtures.request("acts", GuardFixtures.MODEL_ID, null,
                            stampedActivations))));
            out.send(new ProducerRecord<>(name, 1, T0.plusSeconds(31).toEpochMilli(), "other", serdes.requests()
                    .serializer().serialize(name, GuardFixtures.request("other", "other-model",
                            GuardFixtures.tensor(GuardFixtures.clean(1)), null))));
            out.flush();
        }
        ReplayConfig first = ReplayConfig.of(bootstrap, name, name + ".replay", seconds10to20());
        assertEquals(10, replay(first, profile).requestsRead());

        ReplayConfig longer = ReplayConfig.of(bootstrap, name, name + ".replay",
                new ReplayRange(T0.plusSeconds(10), T0.plusSeconds(32)));
        ReplaySummary s = replay(longer, profile);
        assertTrue(s.resumed());
        assertEquals(12, s.requestsRead(), s.text());
        assertEquals(11, s.scored(), s.text());
        assertEquals(T0.plusSeconds(20), s.firstSeen());
        assertEquals(Map.of("unknown-model", 1L), s.unreadableByReason(), s.text());
        assertEquals(Map.of(GuardFixtures.SUSPECT_LABEL, 4L), s.flaggedByLabel(), s.text());
        assertTrue(s.examplesByLabel().get(GuardFixtures.SUSPECT_LABEL).contains("acts"), s.text());
    }

    @Test
    void aStoppedReplayKeepsItsProgressAndTheNextRunFinishesTheRange() throws Exception {
        String name = requestsTopic();
        ReplayConfig cfg = ReplayConfig.of(bootstrap, name, name + ".replay", seconds10to20())
                .withKafka(Map.of("max.poll.records", "3"));
        java.util.concurrent.atomic.AtomicReference<Replayer> running = new java.util.concurrent.atomic
                .AtomicReference<>();
        PrintStream stopAtFirstLine = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8) {
            @Override
            public void println(String line) {
                running.get().stop();
            }
        };
        ReplaySummary first;
        try (ServedModels models = ServedModels.load(Map.of(GuardFixtures.MODEL_ID, modelFile), 1)) {
            running.set(new Replayer(cfg, models, profile, serdes, stopAtFirstLine));
            first = running.get().run();
        }
        assertFalse(first.complete(), first.text());
        assertTrue(first.requestsRead() < 10, first.text());
        ReplaySummary second = replay(cfg, profile);
        assertTrue(second.complete());
        assertEquals(10, first.requestsRead() + second.requestsRead(), first.text() + second.text());
        assertEquals(3, first.flagged() + second.flagged());
        try (TopicReader reader = new TopicReader(bootstrap, List.of(cfg.out()))) {
            assertEquals(9, reader.until(l -> l.size() >= 9, Duration.ofSeconds(30)).size());
            assertEquals(9, reader.settle(Duration.ofSeconds(1)).size(), "no request scored twice");
        }
    }

    @Test
    void anEmptyRangeAndAForeignProfileAreRefused() throws Exception {
        String name = requestsTopic();
        ReplayConfig early = ReplayConfig.of(bootstrap, name, name + ".replay",
                new ReplayRange(T0.minusSeconds(3600), T0.minusSeconds(60)));
        NcguardException empty = assertThrows(NcguardException.class, () -> replay(early, profile));
        assertTrue(empty.getMessage().contains("no requests in " + name), empty.getMessage());

        ReplayConfig cfg = ReplayConfig.of(bootstrap, name, name + ".replay", seconds10to20());
        NcguardException wrong = assertThrows(NcguardException.class, () -> replay(cfg, foreign));
        assertTrue(wrong.getMessage().contains("give the --model ID=M.onnx the profile was made for"),
                wrong.getMessage());

        assertThrows(IllegalArgumentException.class, () -> ReplayConfig.of(bootstrap, name, "guard.verdicts",
                seconds10to20()));
    }

    @Test
    void theCommandLineWritesTheSummaryAndExitsWith2WhereTheUserMustAct() throws Exception {
        String name = requestsTopic();
        Path summary = dir.resolve(name + "-summary.json");
        String[] ok = {"replay", "--bootstrap", bootstrap, "--requests", name, "--out", name + ".cli",
                "--from", T0.plusSeconds(10).toString(), "--to", String.valueOf(T0.plusSeconds(20).toEpochMilli()),
                "--profile", profileFile.toString(), "--model", GuardFixtures.MODEL_ID + "=" + modelFile,
                "--summary", summary.toString()};
        String[] run = cli(ok);
        assertEquals("0", run[0], run[2]);
        assertTrue(run[1].contains("requests read: 10, scored: 9, would have been flagged: 3"), run[1]);
        assertTrue(run[2].contains("replay: 10/10 records"), run[2]);
        String json = Files.readString(summary);
        assertTrue(json.contains("\"requestsRead\" : 10"), json);
        assertTrue(json.contains("\"not-avro\" : 1"), json);

        String[] again = cli(ok);
        assertEquals("0", again[0], again[2]);
        assertTrue(again[1].contains("nothing new"), again[1]);

        String[] empty = cli("replay", "--bootstrap", bootstrap, "--requests", name, "--out", name + ".cli2",
                "--from", "2020-01-01T00:00:00Z", "--to", "2020-01-02T00:00:00Z", "--profile", profileFile.toString(),
                "--model", GuardFixtures.MODEL_ID + "=" + modelFile, "--summary", summary.toString());
        assertEquals("2", empty[0], empty[2]);
        assertTrue(empty[2].contains("no requests in " + name), empty[2]);

        Path foreignFile = dir.resolve("foreign.json");
        Files.write(foreignFile, ProfileJson.toBytes(foreign));
        String[] wrong = cli("replay", "--bootstrap", bootstrap, "--requests", name, "--from", "0",
                "--profile", foreignFile.toString(), "--model", GuardFixtures.MODEL_ID + "=" + modelFile);
        assertEquals("2", wrong[0], wrong[2]);
        assertTrue(wrong[2].contains("the profile was made for"), wrong[2]);

        String[] wrongId = cli("replay", "--bootstrap", bootstrap, "--requests", name, "--out", name + ".cli3",
                "--from", T0.plusSeconds(10).toString(), "--to", T0.plusSeconds(20).toString(), "--profile",
                profileFile.toString(), "--model", "not-" + GuardFixtures.MODEL_ID + "=" + modelFile, "--summary",
                summary.toString());
        assertEquals("2", wrongId[0], wrongId[2]);
        assertTrue(wrongId[2].contains("none of the 10 requests read could be scored {not-avro=1, unknown-model=9}"),
                wrongId[2]);
        assertTrue(wrongId[2].contains("--restart"), wrongId[2]);

        assertTrue(cli("replay", "--help")[1].contains("Usage: ncguard replay"));

        String[] noModel = cli("replay", "--bootstrap", bootstrap, "--from", "0", "--profile", profileFile.toString());
        assertEquals("2", noModel[0], noModel[2]);
        assertTrue(noModel[2].contains("give --model ID=M.onnx"), noModel[2]);

        String[] badTime = cli("replay", "--bootstrap", bootstrap, "--from", "yesterday", "--profile",
                profileFile.toString(), "--model", GuardFixtures.MODEL_ID + "=" + modelFile);
        assertEquals("2", badTime[0], badTime[2]);
        assertTrue(badTime[2].contains("--from takes an ISO-8601 instant"), badTime[2]);
    }

    /** Exit code, stdout and stderr of the command line run in-process. */
    private static synchronized String[] cli(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
