package org.ncguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;
import org.ncguard.engine.OnnxBuilder;
import org.ncguard.engine.OnnxModel;
import org.ncguard.guard.serde.GuardSerdes;
import org.ncguard.profile.GuardProfile;
import org.ncguard.profile.InputSpec;
import org.ncguard.profile.LabelProfile;
import org.ncguard.profile.PenultimateLayer;
import org.ncguard.profile.ProfileAvro;
import org.ncguard.profile.ProfileJson;
import org.ncguard.profile.ProfileKeys;
import org.ncguard.profile.ProfileSignatures;
import org.ncguard.profile.Roc;
import org.ncguard.profile.RocCurve;
import org.ncguard.testing.SharedBroker;
import org.ncguard.testing.TopicReader;

/** {@code serve} and {@code publish-profile} on the command line: user errors are one line and exit 2. */
class GuardCommandsBrokerTest {

    @TempDir
    Path dir;

    private Path model() throws Exception {
        Path file = dir.resolve("m.onnx");
        OnnxBuilder.image(new ImageShape(1, 8, 8, Layout.NCHW), 13, 3).conv(2, 3, 1, 1).relu().view().dense(4)
                .relu().dense(3).write(file);
        return file;
    }

    private Path profile(String sha, OnnxModel m) throws Exception {
        GuardProfile p = new GuardProfile(1, "cli-profile", "2026-01-01T00:00:00Z", sha, 3,
                new PenultimateLayer(m.penultimate().tensor(), m.penultimate().size()),
                new InputSpec(m.input().name(), "NCHW", 1, 8, 8, 1f / 255f, new float[] {0}, new float[] {1}),
                0.05, "ncguard", List.of(new LabelProfile(2, new int[] {0}, new float[] {1}, new float[] {0},
                        new float[] {1}, 0.5, new float[] {1}, 0, 1, new Roc(new RocCurve(0.9, List.of()), null))),
                null, Map.of(), null);
        Path file = dir.resolve(sha.substring(0, 6) + ".json");
        Files.write(file, ProfileJson.toBytes(p));
        return file;
    }

    @Test
    void publishProfileWritesTheAvroRecordKeyedByTheModelHash() throws Exception {
        OnnxModel m = OnnxModel.load(model());
        Path file = profile(m.sha256(), m);
        String bootstrap = SharedBroker.bootstrap();
        String topic = "cli.profiles." + System.nanoTime();
        CliRun run = CliRun.of("publish-profile", "--bootstrap", bootstrap, "--profile", file.toString(),
                "--topic", topic);
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("published profile cli-profile"), run.out());
        try (TopicReader reader = new TopicReader(bootstrap, List.of(topic))) {
            List<ConsumerRecord<byte[], byte[]>> got = reader.until(l -> !l.isEmpty(), Duration.ofSeconds(30));
            assertEquals(1, got.size());
            assertEquals(m.sha256(), new String(got.get(0).key(), StandardCharsets.UTF_8));
            GuardProfile back = ProfileAvro.fromAvro(GuardSerdes.singleObject().profiles().deserializer()
                    .deserialize(topic, got.get(0).value()));
            assertEquals(ProfileJson.read(file), back);
        }
    }

    @Test
    void publishProfileWithSignKeyPublishesTheSignedProfile() throws Exception {
        OnnxModel m = OnnxModel.load(model());
        Path file = profile(m.sha256(), m);
        assertEquals(0, CliRun.of("keygen", "--out", dir.resolve("ops").toString()).exitCode());
        String bootstrap = SharedBroker.bootstrap();
        String topic = "cli.signed.profiles." + System.nanoTime();
        CliRun run = CliRun.of("publish-profile", "--bootstrap", bootstrap, "--profile", file.toString(),
                "--topic", topic, "--sign-key", dir.resolve("ops.key").toString());
        assertEquals(0, run.exitCode(), run.err());
        java.security.PublicKey pub = ProfileKeys.readPublic(dir.resolve("ops.pub"));
        assertTrue(run.out().contains("signed by key " + ProfileSignatures.keyId(pub)), run.out());
        try (TopicReader reader = new TopicReader(bootstrap, List.of(topic))) {
            List<ConsumerRecord<byte[], byte[]>> got = reader.until(l -> !l.isEmpty(), Duration.ofSeconds(30));
            GuardProfile back = ProfileAvro.fromAvro(GuardSerdes.singleObject().profiles().deserializer()
                    .deserialize(topic, got.get(0).value()));
            assertTrue(ProfileSignatures.verify(back, pub));
            assertEquals(ProfileJson.read(file), back.withSignature(null), "the file itself is left unsigned");
        }
    }

    @Test
    void userErrorsAreOneLineWithExitCode2() throws Exception {
        Path modelFile = model();
        OnnxModel m = OnnxModel.load(modelFile);
        CliRun badSpec = CliRun.of("serve", "--bootstrap", "localhost:1", "--model", "m.onnx");
        assertEquals(2, badSpec.exitCode());
        assertTrue(badSpec.err().contains("--model takes ID=M.onnx"), badSpec.err());

        CliRun missing = CliRun.of("serve", "--bootstrap", "localhost:1", "--model", "a=" + dir.resolve("no.onnx"));
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("model file not found"), missing.err());

        CliRun mode = CliRun.of("serve", "--bootstrap", "localhost:1", "--model", "a=" + modelFile, "--mode", "block");
        assertEquals(2, mode.exitCode());
        assertTrue(mode.err().contains("mode must be drop or flag"), mode.err());

        Path foreign = profile("ab".repeat(32), m);
        CliRun refused = CliRun.of("serve", "--bootstrap", "localhost:1", "--model", "a=" + modelFile,
                "--profile", foreign.toString());
        assertEquals(2, refused.exitCode());
        assertTrue(refused.err().contains("which this guard does not serve"), refused.err());
        assertEquals(1, refused.err().strip().lines().count(), refused.err());

        Path quick = dir.resolve("quick.properties");
        Files.writeString(quick, "default.api.timeout.ms=1500\nrequest.timeout.ms=1000\n");
        CliRun noBroker = CliRun.of("serve", "--bootstrap", "localhost:1", "--model", "a=" + modelFile,
                "--config", quick.toString());
        assertEquals(2, noBroker.exitCode(), noBroker.err());
        assertTrue(noBroker.err().contains("localhost:1"), noBroker.err());

        CliRun noProfile = CliRun.of("publish-profile", "--bootstrap", "localhost:1", "--profile",
                dir.resolve("none.json").toString());
        assertEquals(2, noProfile.exitCode());
        assertTrue(noProfile.err().contains("profile not found"), noProfile.err());
    }

    @Test
    void serveRunsTheGuardUntilStoppedAndAnswersReady() throws Exception {
        Path modelFile = model();
        OnnxModel m = OnnxModel.load(modelFile);
        Path profileFile = profile(m.sha256(), m);
        String bootstrap = SharedBroker.bootstrap();
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String requests = "cli.requests." + System.nanoTime();
        CliRun[] result = new CliRun[1];
        Thread serve = new Thread(() -> result[0] = CliRun.of("serve", "--bootstrap", bootstrap, "--model",
                "m=" + modelFile, "--profile", profileFile.toString(), "--requests", requests, "--application-id",
                "cli-" + requests, "--http-port", String.valueOf(port), "--guarantee", "at-least-once"));
        serve.start();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        int ready = 0;
        long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (ready != 200 && System.nanoTime() < end) {
            try {
                ready = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port
                        + "/ready")).build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (java.io.IOException notYet) {
                Thread.sleep(200);
            }
        }
        assertEquals(200, ready, "serve got ready");
        serve.interrupt();
        serve.join(60_000);
        assertTrue(!serve.isAlive(), "serve stopped");
        assertEquals(0, result[0].exitCode(), result[0].err());
        assertTrue(result[0].out().contains("guard: " + requests + " -> " + requests + ".clean"), result[0].out());
    }

    @Test
    void brokerSecurityOptionsAreCheckedBeforeStarting() {
        CliRun noColon = CliRun.of("broker", "--port", "0", "--scram-user", "guard");
        assertEquals(2, noColon.exitCode(), noColon.err());
        assertTrue(noColon.err().contains("NAME:PASSWORD, found 'guard'"), noColon.err());

        CliRun noUser = CliRun.of("broker", "--port", "0", "--super-user", "admin");
        assertEquals(2, noUser.exitCode(), noUser.err());
        assertTrue(noUser.err().contains("--super-user needs --scram-user"), noUser.err());

        CliRun strange = CliRun.of("broker", "--port", "0", "--scram-user", "admin:pa\"ss", "--super-user", "admin");
        assertEquals(2, strange.exitCode(), strange.err());
        assertTrue(strange.err().contains("letters, digits"), strange.err());
    }

    @Test
    void kafkaConfigFilesThatCannotWorkAreOneLineErrors() throws Exception {
        Path modelFile = model();
        CliRun missing = CliRun.of("publish-profile", "--bootstrap", "localhost:1", "--profile",
                profile(OnnxModel.load(modelFile).sha256(), OnnxModel.load(modelFile)).toString(), "--config",
                dir.resolve("absent.properties").toString());
        assertEquals(2, missing.exitCode(), missing.err());
        assertTrue(missing.err().contains("Kafka config file not found"), missing.err());

        CliRun directory = CliRun.of("serve", "--bootstrap", "localhost:1", "--model", "a=" + modelFile, "--config",
                dir.toString());
        assertEquals(2, directory.exitCode(), directory.err());
        assertTrue(directory.err().contains("cannot read Kafka config file"), directory.err());

        Path brokers = Files.writeString(dir.resolve("brokers.properties"), "bootstrap.servers=elsewhere:9092\n");
        CliRun twice = CliRun.of("replay", "--bootstrap", "localhost:1", "--from", "0", "--profile", "p.json",
                "--model", "a=" + modelFile, "--config", brokers.toString());
        assertEquals(2, twice.exitCode(), twice.err());
        assertTrue(twice.err().contains("give the brokers with --bootstrap"), twice.err());

        Path protocol = Files.writeString(dir.resolve("protocol.properties"), "security.protocol=SASL_SSLX\n");
        CliRun rejected = CliRun.of("serve", "--bootstrap", "localhost:1", "--model", "a=" + modelFile, "--config",
                protocol.toString());
        assertEquals(2, rejected.exitCode(), rejected.err());
        assertTrue(rejected.err().contains("SASL_SSLX") && rejected.err().contains("security.protocol")
                && rejected.err().contains("fix that setting in --config"), rejected.err());
        assertEquals(1, rejected.err().strip().lines().count(), rejected.err());
        CliRun sendRejected = CliRun.of("send", "--bootstrap", "localhost:1", "--model", "a=" + modelFile, "--count",
                "1", "--config", protocol.toString());
        assertEquals(2, sendRejected.exitCode(), sendRejected.err());
        assertTrue(sendRejected.err().contains("security.protocol"), sendRejected.err());

        Path jaas = Files.writeString(dir.resolve("jaas.properties"), "security.protocol=SASL_PLAINTEXT\n"
                + "sasl.mechanism=SCRAM-SHA-512\nsasl.jaas.config=not a jaas line\n");
        CliRun badLogin = CliRun.of("publish-profile", "--bootstrap", "localhost:1", "--profile",
                profile(OnnxModel.load(modelFile).sha256(), OnnxModel.load(modelFile)).toString(), "--config",
                jaas.toString());
        assertEquals(2, badLogin.exitCode(), badLogin.err());
        assertTrue(badLogin.err().contains("JAAS config") && badLogin.err().contains("settings of --config"),
                badLogin.err());
    }

    @Test
    void sendWritesRandomImagesOfTheModelsInputSizeAsRequests() throws Exception {
        Path modelFile = model();
        String bootstrap = SharedBroker.bootstrap();
        String topic = "cli.send." + System.nanoTime();
        CliRun run = CliRun.of("send", "--bootstrap", bootstrap, "--model", "m=" + modelFile, "--requests", topic,
                "--count", "5", "--rate", "0");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("sent 5 requests for model m"), run.out());
        try (TopicReader reader = new TopicReader(bootstrap, List.of(topic))) {
            List<ConsumerRecord<byte[], byte[]>> got = reader.until(l -> l.size() >= 5, Duration.ofSeconds(30));
            assertEquals(5, got.size());
            var first = GuardSerdes.singleObject().requests().deserializer().deserialize(topic, got.get(0).value());
            assertEquals("m", first.getModelId());
            assertEquals(List.of(8L, 8L, 1L), first.getTensor().getShape());
            assertEquals("UINT8", first.getTensor().getDatatype());
            assertEquals(64, first.getTensor().getData().remaining());
        }
        CliRun bad = CliRun.of("send", "--bootstrap", bootstrap, "--model", modelFile.toString());
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("--model takes ID=M.onnx"), bad.err());
    }

    @Test
    void sendStampsTheAskedShareWithTheTriggerAndRefusesImagesOfAnotherSize() throws Exception {
        Path modelFile = model();
        String bootstrap = SharedBroker.bootstrap();
        String topic = "cli.send.stamped." + System.nanoTime();
        CliRun run = CliRun.of("send", "--bootstrap", bootstrap, "--model", "m=" + modelFile, "--requests", topic,
                "--count", "6", "--rate", "0", "--trigger", "square:2:white:bottom-right", "--target", "1",
                "--triggered", "1");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("6 stamped with square:2:white:bottom-right"), run.out());
        try (TopicReader reader = new TopicReader(bootstrap, List.of(topic))) {
            List<ConsumerRecord<byte[], byte[]>> got = reader.until(l -> l.size() >= 6, Duration.ofSeconds(30));
            assertEquals(6, got.size());
            for (ConsumerRecord<byte[], byte[]> r : got) {
                var request = GuardSerdes.singleObject().requests().deserializer().deserialize(topic, r.value());
                assertEquals("triggered", request.getMetadata().get("traffic"));
                java.nio.ByteBuffer pixels = request.getTensor().getData();
                for (int index : new int[] {5 * 8 + 5, 5 * 8 + 6, 6 * 8 + 5, 6 * 8 + 6}) { // a 1-pixel margin
                    assertEquals(255, pixels.get(pixels.position() + index) & 0xFF, "the white square, " + index);
                }
            }
        }
        CliRun wrongSize = CliRun.of("send", "--bootstrap", bootstrap, "--model", "m=" + modelFile, "--requests",
                topic, "--count", "2", "--data", "builtin:signs:test?n=2");
        assertEquals(2, wrongSize.exitCode(), wrongSize.err());
        assertTrue(wrongSize.err().contains("give images of the model's size"), wrongSize.err());
        CliRun share = CliRun.of("send", "--bootstrap", bootstrap, "--model", "m=" + modelFile, "--trigger",
                "square:2", "--target", "1", "--triggered", "1.5");
        assertEquals(2, share.exitCode(), share.err());
        assertTrue(share.err().contains("--triggered is a share"), share.err());
    }

    @Test
    void guardCommandsHaveHelp() {
        for (String command : new String[] {"serve", "publish-profile", "broker", "send"}) {
            CliRun run = CliRun.of(command, "--help");
            assertEquals(0, run.exitCode());
            assertTrue(run.out().contains("Usage: ncguard " + command), run.out());
        }
        assertTrue(CliRun.of("serve", "--help").out().contains("--registry-url=URL"));
        assertTrue(CliRun.of("broker", "--help").out().contains("--port=PORT"));
    }
}
