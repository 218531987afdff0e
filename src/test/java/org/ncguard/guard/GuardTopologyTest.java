package org.ncguard.guard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.avro.GuardAlert;
import org.ncguard.avro.GuardVerdict;
import org.ncguard.avro.InferenceRequest;
import org.ncguard.guard.score.ModelRunner;
import org.ncguard.guard.score.ServedModels;
import org.ncguard.guard.serde.GuardSerdes;
import org.ncguard.profile.GuardProfile;
import org.ncguard.profile.ProfileAvro;
import org.ncguard.profile.ProfileKeys;
import org.ncguard.profile.ProfileSignatures;

/** The guard's topology in TopologyTestDriver, on a real ONNX model run by ONNX Runtime. */
class GuardTopologyTest {

    @TempDir
    static Path dir;

    static Path modelFile;
    static GuardProfile profile;

    private final GuardSerdes serdes = GuardSerdes.singleObject();
    private TopologyTestDriver driver;
    private GuardEngine engine;
    private TestInputTopic<String, byte[]> requests;
    private TestInputTopic<String, byte[]> profiles;
    private TestOutputTopic<byte[], byte[]> clean;
    private TestOutputTopic<byte[], byte[]> quarantine;
    private TestOutputTopic<byte[], byte[]> dlq;
    private TestOutputTopic<String, GuardVerdict> verdicts;
    private TestOutputTopic<String, GuardAlert> alerts;
    private List<PublicKey> trusted = List.of();

    @BeforeAll
    static void model() throws Exception {
        GuardFixtures.Served served = GuardFixtures.served(dir, "profile-1", "2026-01-01T00:00:00Z");
        modelFile = served.model();
        profile = served.profile();
    }

    private void start(GuardMode mode, GuardProfile... initial) throws Exception {
        start(mode, List.of(GuardFixtures.runner(modelFile)), initial);
    }

    private void start(GuardMode mode, List<ModelRunner> runners, GuardProfile... initial) throws Exception {
        ServedModels models = ServedModels.of(runners);
        engine = GuardEngine.of(models, trusted);
        for (GuardProfile p : initial) {
            assertEquals(ProfileBook.Outcome.APPLIED, engine.profiles().offer(p, ProfileOrigin.file("test"), true));
        }
        GuardConfig config = GuardConfig.defaults("unused:9092").withMode(mode);
        driver = new TopologyTestDriver(GuardTopology.build(config, serdes, engine), GuardStreamsConfig.of(config));
        GuardTopics t = config.topics();
        requests = driver.createInputTopic(t.requests(), new StringSerializer(), new ByteArraySerializer());
        profiles = driver.createInputTopic(t.profiles(), new StringSerializer(), new ByteArraySerializer());
        clean = driver.createOutputTopic(t.clean(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        quarantine = driver.createOutputTopic(t.quarantine(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        dlq = driver.createOutputTopic(t.dlq(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        verdicts = driver.createOutputTopic(t.verdicts(), new StringDeserializer(), serdes.verdicts().deserializer());
        alerts = driver.createOutputTopic(t.alerts(), new StringDeserializer(), serdes.alerts().deserializer());
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
        if (engine != null) {
            engine.models().close();
        }
    }

    private byte[] encode(InferenceRequest r) {
        return serdes.requests().serializer().serialize("inference.requests", r);
    }

    private void send(String id, byte[] value) {
        Headers h = new RecordHeaders().add("trace", ("t-" + id).getBytes(StandardCharsets.UTF_8));
        requests.pipeInput(new TestRecord<>(id, value, h));
    }

    private void publish(GuardProfile p) {
        profiles.pipeInput(p.modelSha256(), serdes.profiles().serializer().serialize("guard.profiles",
                ProfileAvro.toAvro(p)));
    }

    private static String header(Headers h, String name) {
        Header last = h.lastHeader(name);
        return last == null ? null : new String(last.value(), StandardCharsets.UTF_8);
    }

    @Test
    void dropModeQuarantinesTriggeredRequestAndPassesCleanOne() throws Exception {
        start(GuardMode.DROP, profile);
        byte[] cleanBytes = encode(GuardFixtures.request("c1", GuardFixtures.clean(3)));
        byte[] triggerBytes = encode(GuardFixtures.request("t1", GuardFixtures.triggered(3)));
        send("c1", cleanBytes);
        send("t1", triggerBytes);

        TestRecord<byte[], byte[]> passed = clean.readRecord();
        assertTrue(clean.isEmpty());
        assertArrayEquals("c1".getBytes(StandardCharsets.UTF_8), passed.key());
        assertArrayEquals(cleanBytes, passed.value(), "value bytes are forwarded unchanged");
        assertEquals("t-c1", header(passed.headers(), "trace"), "the request's own headers are kept");
        assertEquals("pass", header(passed.headers(), GuardHeaders.ACTION));
        assertEquals("none", header(passed.headers(), GuardHeaders.SUSPECT));
        assertEquals("profile-1", header(passed.headers(), GuardHeaders.PROFILE));
        assertTrue(Double.parseDouble(header(passed.headers(), GuardHeaders.SCORE)) < profile.labels().get(0).threshold());
        Integer.parseInt(header(passed.headers(), GuardHeaders.LABEL));

        TestRecord<byte[], byte[]> dropped = quarantine.readRecord();
        assertTrue(quarantine.isEmpty());
        assertArrayEquals(triggerBytes, dropped.value());
        assertEquals("drop", header(dropped.headers(), GuardHeaders.ACTION));
        assertEquals(String.valueOf(GuardFixtures.SUSPECT_LABEL), header(dropped.headers(), GuardHeaders.SUSPECT));
        assertTrue(Double.parseDouble(header(dropped.headers(), GuardHeaders.SCORE)) > profile.labels().get(0).threshold());

        List<GuardVerdict> v = verdicts.readValuesToList();
        assertEquals(List.of("c1", "t1"), v.stream().map(GuardVerdict::getRequestId).toList());
        assertEquals("pass", v.get(0).getAction());
        assertEquals("drop", v.get(1).getAction());
        assertEquals(GuardFixtures.SUSPECT_LABEL, v.get(1).getSuspectedLabel());
        assertNull(v.get(0).getSuspectedLabel());
        assertEquals(engine.models().get(GuardFixtures.MODEL_ID).sha256(), v.get(1).getModelSha256());
        assertEquals(profile.labels().get(0).threshold(), v.get(1).getThreshold());
        assertNotNull(v.get(0).getPredictedLabel());

        List<GuardAlert> a = alerts.readValuesToList();
        assertEquals(1, a.size(), "one alert, for the triggered request");
        assertEquals("suspicious-request", a.get(0).getKind());
        assertEquals("t1", a.get(0).getVerdict().getRequestId());
        assertEquals("inference.requests", a.get(0).getTopic());
        assertEquals(1L, a.get(0).getOffset());
        assertEquals(3, a.get(0).getNeurons().size());
        float[] act = GuardFixtures.activations(engine.models().get(GuardFixtures.MODEL_ID), GuardFixtures.triggered(3));
        assertEquals(act[a.get(0).getNeurons().get(0).getNeuron()], a.get(0).getNeurons().get(0).getActivation(), 1e-6);
        assertTrue(a.get(0).getNeurons().get(0).getActivation() >= a.get(0).getNeurons().get(2).getActivation());
        assertTrue(dlq.isEmpty());
    }

    @Test
    void flagModeSendsEverythingToCleanAndMarksTheSuspicious() throws Exception {
        start(GuardMode.FLAG, profile);
        send("c1", encode(GuardFixtures.request("c1", GuardFixtures.clean(5))));
        send("t1", encode(GuardFixtures.request("t1", GuardFixtures.triggered(5))));
        List<TestRecord<byte[], byte[]>> out = clean.readRecordsToList();
        assertEquals(2, out.size());
        assertTrue(quarantine.isEmpty());
        assertEquals("pass", header(out.get(0).headers(), GuardHeaders.ACTION));
        assertEquals("flag", header(out.get(1).headers(), GuardHeaders.ACTION));
        assertEquals(String.valueOf(GuardFixtures.SUSPECT_LABEL), header(out.get(1).headers(), GuardHeaders.SUSPECT));
        assertEquals(List.of("pass", "flag"), verdicts.readValuesToList().stream().map(GuardVerdict::getAction).toList());
        assertEquals("flag", alerts.readValue().getVerdict().getAction());
    }

    @Test
    void modelWithoutProfilePassesItsTrafficMarked() throws Exception {
        start(GuardMode.DROP);
        send("t1", encode(GuardFixtures.request("t1", GuardFixtures.triggered(1))));
        TestRecord<byte[], byte[]> r = clean.readRecord();
        assertEquals("pass", header(r.headers(), GuardHeaders.ACTION));
        assertEquals("none", header(r.headers(), GuardHeaders.PROFILE));
        assertEquals("none", header(r.headers(), GuardHeaders.SCORE));
        GuardVerdict v = verdicts.readValue();
        assertNull(v.getProfileId());
        assertNull(v.getScore());
        assertTrue(alerts.isEmpty());
    }

    @Test
    void spoofedGuardHeadersAreReplaced() throws Exception {
        start(GuardMode.FLAG, profile);
        Headers h = new RecordHeaders().add(GuardHeaders.ACTION, "pass".getBytes(StandardCharsets.UTF_8));
        requests.pipeInput(new TestRecord<>("t1", encode(GuardFixtures.request("t1", GuardFixtures.triggered(2))), h));
        Headers out = clean.readRecord().headers();
        assertEquals(1, out.toArray().length - 4, "one value per guard header");
        assertEquals("flag", header(out, GuardHeaders.ACTION));
    }

    @Test
    void activationsAreScoredWithoutRunningTheModel() throws Exception {
        start(GuardMode.DROP, profile);
        float[] act = GuardFixtures.activations(engine.models().get(GuardFixtures.MODEL_ID), GuardFixtures.triggered(4));
        List<Float> list = new ArrayList<>();
        for (float a : act) {
            list.add(a);
        }
        send("a1", encode(GuardFixtures.request("a1", GuardFixtures.MODEL_ID, null, list)));
        TestRecord<byte[], byte[]> r = quarantine.readRecord();
        assertEquals("none", header(r.headers(), GuardHeaders.LABEL));
        GuardVerdict v = verdicts.readValue();
        assertNull(v.getPredictedLabel());
        assertEquals("drop", v.getAction());
    }

    @Test
    void fp32TensorsAreTakenWithOrWithoutTheBatchDimension() throws Exception {
        start(GuardMode.DROP, profile);
        byte[] img = GuardFixtures.triggered(6);
        float[] values = new float[img.length];
        for (int i = 0; i < img.length; i++) {
            values[i] = (img[i] & 0xFF) / 255f;
        }
        send("f1", encode(GuardFixtures.request("f1", GuardFixtures.MODEL_ID,
                GuardFixtures.fp32(List.of(1L, 1L, 8L, 8L), values), null)));
        send("f2", encode(GuardFixtures.request("f2", GuardFixtures.MODEL_ID,
                GuardFixtures.fp32(List.of(1L, 8L, 8L), values), null)));
        send("u1", encode(GuardFixtures.request("u1", img)));
        List<GuardVerdict> v = verdicts.readValuesToList();
        assertEquals(List.of("drop", "drop", "drop"), v.stream().map(GuardVerdict::getAction).toList());
        assertEquals(v.get(2).getScore(), v.get(0).getScore(), 1e-4, "FP32 and UINT8 of the same image agree");
        assertEquals(v.get(0).getScore(), v.get(1).getScore(), 1e-9);
    }

    @Test
    void profileFromTheTopicAppliesFromTheNextRecord() throws Exception {
        start(GuardMode.DROP);
        send("t1", encode(GuardFixtures.request("t1", GuardFixtures.triggered(1))));
        assertEquals("pass", header(clean.readRecord().headers(), GuardHeaders.ACTION));

        publish(profile);
        send("t2", encode(GuardFixtures.request("t2", GuardFixtures.triggered(1))));
        assertEquals("drop", header(quarantine.readRecord().headers(), GuardHeaders.ACTION));
        String sha = engine.models().get(GuardFixtures.MODEL_ID).sha256();
        assertEquals(1, engine.profiles().version(sha));

        GuardProfile lenient = GuardFixtures.withThreshold(profile, 1e9, "profile-2", "2026-02-01T00:00:00Z");
        publish(lenient);
        send("t3", encode(GuardFixtures.request("t3", GuardFixtures.triggered(1))));
        TestRecord<byte[], byte[]> r = clean.readRecord();
        assertEquals("pass", header(r.headers(), GuardHeaders.ACTION));
        assertEquals("profile-2", header(r.headers(), GuardHeaders.PROFILE));
        assertEquals(2, engine.profiles().version(sha));
        assertTrue(quarantine.isEmpty());
        assertTrue(engine.metrics().registry().find("ncguard.profile.version").gauge().value() == 2.0);

        // An older profile arriving later does not replace a newer one.
        publish(GuardFixtures.withThreshold(profile, -1e9, "profile-0", "2025-12-01T00:00:00Z"));
        send("t4", encode(GuardFixtures.request("t4", GuardFixtures.clean(1))));
        assertEquals("profile-2", header(clean.readRecord().headers(), GuardHeaders.PROFILE));
    }

    @Test
    void profileForAnotherModelIsRefusedWithAnAlertAndTheOldOneStays() throws Exception {
        start(GuardMode.DROP, profile);
        Path other = GuardFixtures.tinyModel(dir, 99);
        GuardProfile foreign;
        try (ModelRunner m = GuardFixtures.runner(other)) {
            foreign = GuardFixtures.withThreshold(GuardFixtures.profile(m, "foreign", "2027-01-01T00:00:00Z"), 1e9,
                    "foreign", "2027-01-01T00:00:00Z");
        }
        publish(foreign);
        profiles.pipeInput("garbage", new byte[] {1, 2, 3});
        send("t1", encode(GuardFixtures.request("t1", GuardFixtures.triggered(1))));
        assertEquals("drop", header(quarantine.readRecord().headers(), GuardHeaders.ACTION), "the old profile stays");

        List<GuardAlert> a = alerts.readValuesToList();
        List<GuardAlert> refused = a.stream().filter(x -> x.getKind().equals("profile-refused")).toList();
        assertEquals(2, refused.size(), a.toString());
        assertTrue(refused.get(0).getMessage().contains(foreign.modelSha256()), refused.get(0).getMessage());
        assertEquals("guard.profiles", refused.get(0).getTopic());
        assertEquals(0L, refused.get(0).getOffset());
        assertEquals(1.0, engine.metrics().registry().find("ncguard.profiles.refused").tag("reason", "unknown-model")
                .counter().count());
        assertEquals(1.0, engine.metrics().registry().find("ncguard.profiles.refused").tag("reason", "invalid")
                .counter().count());
    }

    @Test
    void trustedGuardAppliesOnlyProfilesSignedByItsKeyAndKeepsThePreviousOne() throws Exception {
        KeyPair ours = ProfileKeys.generate();
        KeyPair theirs = ProfileKeys.generate();
        trusted = List.of(ours.getPublic());
        start(GuardMode.DROP, ProfileSignatures.sign(profile, ours.getPrivate()));
        String sha = engine.models().get(GuardFixtures.MODEL_ID).sha256();

        // Each would let triggered requests through (threshold 1e9) if it were applied.
        GuardProfile lenient = GuardFixtures.withThreshold(profile, 1e9, "lenient", "2027-01-01T00:00:00Z");
        GuardProfile forged = GuardFixtures.withThreshold(profile, 1e9, "forged", "2027-01-02T00:00:00Z")
                .withSignature(ProfileSignatures.sign(profile, ours.getPrivate()).signature());
        GuardProfile resigned = ProfileSignatures.sign(GuardFixtures.withThreshold(profile, 1e9, "resigned",
                "2027-01-03T00:00:00Z"), ours.getPrivate());
        // Signed by our key, then changed.
        GuardProfile tampered = GuardFixtures.withThreshold(resigned, 1e10, resigned.profileId(), resigned.createdAt())
                .withSignature(resigned.signature());
        publish(lenient);
        publish(ProfileSignatures.sign(lenient, theirs.getPrivate()));
        publish(forged);
        publish(tampered);
        send("t1", encode(GuardFixtures.request("t1", GuardFixtures.triggered(1))));
        TestRecord<byte[], byte[]> dropped = quarantine.readRecord();
        assertEquals("drop", header(dropped.headers(), GuardHeaders.ACTION), "the signed profile stays");
        assertEquals("profile-1", header(dropped.headers(), GuardHeaders.PROFILE));
        assertEquals(1, engine.profiles().version(sha));

        List<GuardAlert> refused = alerts.readValuesToList().stream()
                .filter(x -> x.getKind().equals("profile-refused")).toList();
        assertEquals(4, refused.size(), refused.toString());
        assertTrue(refused.get(0).getMessage().contains("lenient") && refused.get(0).getMessage().contains("unsigned"),
                refused.get(0).getMessage());
        assertTrue(refused.get(1).getMessage().contains(ProfileSignatures.keyId(theirs.getPublic())),
                refused.get(1).getMessage());
        assertTrue(refused.get(2).getMessage().contains("does not match"), refused.get(2).getMessage());
        assertTrue(refused.get(3).getMessage().contains("does not match"), refused.get(3).getMessage());
        for (String reason : List.of("unsigned", "unknown-key")) {
            assertEquals(1.0, engine.metrics().registry().find("ncguard.profiles.refused").tag("reason", reason)
                    .counter().count(), reason);
        }
        assertEquals(2.0, engine.metrics().registry().find("ncguard.profiles.refused").tag("reason", "bad-signature")
                .counter().count());

        // A profile signed by the trusted key is applied from the next record.
        publish(resigned);
        send("t2", encode(GuardFixtures.request("t2", GuardFixtures.triggered(1))));
        TestRecord<byte[], byte[]> passed = clean.readRecord();
        assertEquals("pass", header(passed.headers(), GuardHeaders.ACTION));
        assertEquals(2, engine.profiles().version(sha));
        assertTrue(quarantine.isEmpty());
    }

    @Test
    void trustedGuardRefusesAnUnsignedProfileFileAndAnUntrustedGuardTakesIt() throws Exception {
        KeyPair ours = ProfileKeys.generate();
        try (ModelRunner m = GuardFixtures.runner(modelFile)) {
            ServedModels models = ServedModels.of(List.of(m));
            ProfileBook strict = new ProfileBook(models, GuardMetrics.prometheus(), List.of(ours.getPublic()));
            assertTrue(strict.verifies());
            assertEquals(ProfileBook.Outcome.REFUSED, strict.offer(profile, ProfileOrigin.file("p.json"), true));
            ProfileBook.Refusal r = strict.pollRefusal();
            assertEquals("unsigned", r.reason());
            assertTrue(r.message().contains("p.json"), r.message());
            assertNull(strict.forModel(profile.modelSha256()));
            assertEquals(ProfileBook.Outcome.APPLIED, strict.offer(ProfileSignatures.sign(profile, ours.getPrivate()),
                    ProfileOrigin.file("p.json"), true));

            ProfileBook open = new ProfileBook(models, GuardMetrics.prometheus());
            assertEquals(false, open.verifies());
            assertEquals(ProfileBook.Outcome.APPLIED, open.offer(profile, ProfileOrigin.file("p.json"), true));
        }
    }

    @Test
    void everyKindOfMalformedRequestGoesToTheDeadLetterTopic() throws Exception {
        start(GuardMode.DROP, profile);
        byte[] good = encode(GuardFixtures.request("ok", GuardFixtures.clean(1)));
        SplittableRandom random = new SplittableRandom(3);
        byte[] noise = new byte[64];
        random.nextBytes(noise);
        float[] nan = new float[64];
        nan[5] = Float.NaN;
        List<Float> infinite = new ArrayList<>(java.util.Collections.nCopies(16, 0f));
        infinite.set(3, Float.POSITIVE_INFINITY);
        byte[] verdictBytes = serdes.verdicts().serializer().serialize("x", new GuardVerdict("r", "m", "s", null, null,
                "pass", null, null, null, 1L, java.time.Instant.EPOCH, false));
        Map<String, byte[]> cases = new java.util.LinkedHashMap<>();
        cases.put("not-avro", noise);
        cases.put("wrong-schema", verdictBytes);
        cases.put("malformed-avro", Arrays.copyOf(good, good.length - 20));
        cases.put("unknown-model", encode(GuardFixtures.request("x", "nobody", GuardFixtures.tensor(GuardFixtures.clean(1)), null)));
        cases.put("no-input", encode(GuardFixtures.request("x", GuardFixtures.MODEL_ID, null, null)));
        cases.put("wrong-datatype", encode(GuardFixtures.request("x", GuardFixtures.MODEL_ID,
                new org.ncguard.avro.Tensor("INT64", List.of(8L, 8L, 1L), ByteBuffer.wrap(new byte[512])), null)));
        cases.put("wrong-shape", encode(GuardFixtures.request("x", GuardFixtures.MODEL_ID,
                new org.ncguard.avro.Tensor("UINT8", List.of(4L, 16L, 1L), ByteBuffer.wrap(new byte[64])), null)));
        cases.put("wrong-size", encode(GuardFixtures.request("x", GuardFixtures.MODEL_ID,
                new org.ncguard.avro.Tensor("UINT8", List.of(8L, 8L, 1L), ByteBuffer.wrap(new byte[63])), null)));
        cases.put("too-large", encode(GuardFixtures.request("x", GuardFixtures.MODEL_ID,
                new org.ncguard.avro.Tensor("UINT8", List.of(16L, 16L, 3L), ByteBuffer.wrap(new byte[768])), null)));
        cases.put("non-finite", encode(GuardFixtures.request("x", GuardFixtures.MODEL_ID,
                GuardFixtures.fp32(List.of(1L, 8L, 8L), nan), null)));
        cases.put("non-finite ", encode(GuardFixtures.request("x", GuardFixtures.MODEL_ID, null, infinite)));
        cases.put("wrong-shape ", encode(GuardFixtures.request("x", GuardFixtures.MODEL_ID, null, List.of(1f, 2f))));

        int i = 0;
        for (Map.Entry<String, byte[]> e : cases.entrySet()) {
            send("bad-" + i++, e.getValue());
        }
        send("ok", good);

        List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
        assertEquals(cases.size(), dead.size());
        i = 0;
        Map<String, Integer> reasons = new HashMap<>();
        for (Map.Entry<String, byte[]> e : cases.entrySet()) {
            TestRecord<byte[], byte[]> d = dead.get(i);
            assertEquals(e.getKey().trim(), header(d.headers(), GuardHeaders.DLQ_REASON), header(d.headers(),
                    GuardHeaders.DLQ_MESSAGE));
            assertArrayEquals(e.getValue(), d.value(), "original value bytes");
            assertArrayEquals(("bad-" + i).getBytes(StandardCharsets.UTF_8), d.key(), "original key");
            assertEquals("t-bad-" + i, header(d.headers(), "trace"), "original headers");
            assertNotNull(header(d.headers(), GuardHeaders.DLQ_MESSAGE));
            reasons.merge(e.getKey().trim(), 1, Integer::sum);
            i++;
        }
        assertEquals("ok", new String(clean.readRecord().key(), StandardCharsets.UTF_8), "the guard goes on");
        assertTrue(quarantine.isEmpty());
        assertEquals(1, verdicts.readValuesToList().size(), "no verdict for a dead-lettered request");
        for (Map.Entry<String, Integer> e : reasons.entrySet()) {
            assertEquals(e.getValue().doubleValue(), engine.metrics().registry().find("ncguard.dlq")
                    .tag("reason", e.getKey()).counter().count(), e.getKey());
        }
    }

    @Test
    void eachModelIsJudgedByItsOwnProfile() throws Exception {
        Path otherFile = GuardFixtures.tinyModel(dir, 99);
        start(GuardMode.DROP, List.of(GuardFixtures.runner(modelFile), GuardFixtures.runner(otherFile, "other")),
                profile);
        send("t1", encode(GuardFixtures.request("t1", GuardFixtures.triggered(1))));
        send("t2", encode(GuardFixtures.request("t2", "other", GuardFixtures.tensor(GuardFixtures.triggered(1)),
                null)));
        assertEquals("t1", new String(quarantine.readRecord().key(), StandardCharsets.UTF_8));
        TestRecord<byte[], byte[]> other = clean.readRecord();
        assertEquals("t2", new String(other.key(), StandardCharsets.UTF_8));
        assertEquals("none", header(other.headers(), GuardHeaders.PROFILE), "the other model has no profile");
        List<GuardVerdict> v = verdicts.readValuesToList();
        assertEquals(List.of(GuardFixtures.MODEL_ID, "other"), v.stream().map(GuardVerdict::getModelId).toList());
        assertEquals(engine.models().get("other").sha256(), v.get(1).getModelSha256());
        assertTrue(!v.get(0).getModelSha256().equals(v.get(1).getModelSha256()));
    }

    @Test
    void profileWhoseInputDoesNotFitTheModelIsRefused() throws Exception {
        start(GuardMode.DROP, profile);
        GuardProfile wrongInput = new GuardProfile(1, "wrong-input", "2030-01-01T00:00:00Z", profile.modelSha256(),
                profile.labelsCount(), profile.penultimate(), new org.ncguard.profile.InputSpec(
                profile.input().name(), "NCHW", 1, 9, 9, 1f / 255f, new float[] {0}, new float[] {1}),
                profile.fpr(), profile.score(), profile.labels(), null, Map.of(), null);
        publish(wrongInput);
        send("t1", encode(GuardFixtures.request("t1", GuardFixtures.triggered(2))));
        assertEquals("profile-1", header(quarantine.readRecord().headers(), GuardHeaders.PROFILE));
        GuardAlert refused = alerts.readValuesToList().stream().filter(a -> a.getKind().equals("profile-refused"))
                .findFirst().orElseThrow();
        assertTrue(refused.getMessage().contains("9x9"), refused.getMessage());
        assertEquals(1.0, engine.metrics().registry().find("ncguard.profiles.refused").tag("reason", "mismatch")
                .counter().count());
    }

    @Test
    void requestTooLargeForTheOutputTopicGoesToTheDeadLetterTopicBeforeForwarding() throws Exception {
        ServedModels models = ServedModels.of(List.of(GuardFixtures.runner(modelFile)));
        engine = GuardEngine.of(models).withForwardLimit(new ForwardLimit(400, null));
        GuardConfig config = GuardConfig.defaults("unused:9092");
        driver = new TopologyTestDriver(GuardTopology.build(config, serdes, engine), GuardStreamsConfig.of(config));
        requests = driver.createInputTopic(config.topics().requests(), new StringSerializer(), new ByteArraySerializer());
        clean = driver.createOutputTopic(config.topics().clean(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        dlq = driver.createOutputTopic(config.topics().dlq(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        InferenceRequest big = GuardFixtures.request("big", GuardFixtures.clean(1));
        big.setMetadata(Map.of("note", "x".repeat(300)));
        send("big", encode(big));
        send("ok", encode(GuardFixtures.request("ok", GuardFixtures.clean(1))));
        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertEquals("output-rejected", header(dead.headers(), GuardHeaders.DLQ_REASON));
        assertEquals("t-big", header(dead.headers(), "trace"));
        assertNull(header(dead.headers(), GuardHeaders.ACTION), "no guard verdict headers on a dead letter");
        assertEquals("ok", new String(clean.readRecord().key(), StandardCharsets.UTF_8));
        assertTrue(clean.isEmpty());
    }

    @Test
    void requestsBuiltByTheClientHelpersAreScoredAlike() throws Exception {
        start(GuardMode.DROP, profile);
        byte[] img = GuardFixtures.triggered(8);
        float[] values = new float[img.length];
        for (int i = 0; i < img.length; i++) {
            values[i] = (img[i] & 0xFF) / 255f;
        }
        float[] act = GuardFixtures.activations(engine.models().get(GuardFixtures.MODEL_ID), img);
        send("i", encode(InferenceRequests.image("i", GuardFixtures.MODEL_ID, 8, 8, 1, img)));
        send("m", encode(InferenceRequests.modelInput("m", GuardFixtures.MODEL_ID, new long[] {1, 8, 8}, values)));
        send("a", encode(InferenceRequests.activations("a", GuardFixtures.MODEL_ID, act)));
        List<GuardVerdict> v = verdicts.readValuesToList();
        assertEquals(List.of("drop", "drop", "drop"), v.stream().map(GuardVerdict::getAction).toList());
        assertEquals(v.get(0).getScore(), v.get(2).getScore(), 1e-4);
        assertEquals(v.get(0).getScore(), v.get(1).getScore(), 1e-4);
    }
}
