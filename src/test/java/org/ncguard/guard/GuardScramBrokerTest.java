package org.ncguard.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.cli.CliRun;
import org.ncguard.cli.Main;
import org.ncguard.guard.broker.BrokerSecurity;
import org.ncguard.guard.broker.EmbeddedBroker;
import org.ncguard.guard.replay.ReplayConfig;
import org.ncguard.guard.serde.GuardSerdes;
import org.ncguard.testing.TopicReader;

/**
 * The guard, the profile publisher and replay against a broker that takes only SCRAM-SHA-512 logins and enforces
 * ACLs: each part runs with its own user and exactly the ACLs the README's Security table grants it, through the
 * commands' own {@code --config} files; a wrong password is a prompt one-line error and routes nothing.
 */
class GuardScramBrokerTest {

    private static final String GUARD = "guard";
    private static final String PUBLISHER = "publisher";
    private static final String REPLAY = "replay";
    private static final Map<String, String> PASSWORDS = Map.of("admin", "admin-secret", GUARD, "guard-secret",
            PUBLISHER, "publisher-secret", REPLAY, "replay-secret");

    @TempDir
    static Path dir;

    static EmbeddedBroker broker;
    static Path modelFile;
    static Path profileFile;
    private final GuardSerdes serdes = GuardSerdes.singleObject();

    @BeforeAll
    static void setUp() throws Exception {
        broker = EmbeddedBroker.start(0, null, BrokerSecurity.scram(PASSWORDS).withAcls(Set.of("admin")));
        GuardFixtures.Served served = GuardFixtures.served(dir, "scram-1", "2026-01-01T00:00:00Z");
        modelFile = served.model();
        profileFile = served.profileFile();
        GuardTopics topics = GuardTopics.forRequests(GuardTopics.DEFAULT_REQUESTS);
        try (Admin admin = Admin.create(ClientSettings.of(broker.bootstrap(), login("admin")))) {
            // The requests topic belongs to the serving system; the guard creates its own topics.
            admin.createTopics(List.of(new NewTopic(topics.requests(), Optional.of(1), Optional.empty()))).all()
                    .get(30, TimeUnit.SECONDS);
            List<AclBinding> acls = new ArrayList<>(guardAcls("User:" + GUARD, topics,
                    GuardConfig.DEFAULT_APPLICATION_ID));
            acls.addAll(publisherAcls("User:" + PUBLISHER, topics.profiles()));
            acls.addAll(replayAcls("User:" + REPLAY, topics.requests(), ReplayConfig.DEFAULT_OUT));
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void tearDown() {
        if (broker != null) {
            broker.close();
        }
    }

    /** The README's guard rows. */
    static List<AclBinding> guardAcls(String principal, GuardTopics t, String applicationId) {
        List<AclBinding> acls = new ArrayList<>();
        acls.add(allow(principal, ResourceType.TOPIC, t.requests(), PatternType.LITERAL, AclOperation.READ));
        acls.add(allow(principal, ResourceType.TOPIC, t.profiles(), PatternType.LITERAL, AclOperation.READ));
        for (String out : t.outputs()) {
            acls.add(allow(principal, ResourceType.TOPIC, out, PatternType.LITERAL, AclOperation.WRITE));
        }
        for (String out : List.of(t.clean(), t.quarantine())) {
            acls.add(allow(principal, ResourceType.TOPIC, out, PatternType.LITERAL, AclOperation.DESCRIBE_CONFIGS));
        }
        List<String> created = new ArrayList<>(t.outputs());
        created.add(t.profiles());
        for (String topic : created) {
            acls.add(allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.CREATE));
        }
        acls.add(allow(principal, ResourceType.GROUP, applicationId, PatternType.LITERAL, AclOperation.READ));
        acls.add(allow(principal, ResourceType.TRANSACTIONAL_ID, applicationId, PatternType.PREFIXED,
                AclOperation.WRITE));
        acls.add(allow(principal, ResourceType.TRANSACTIONAL_ID, applicationId, PatternType.PREFIXED,
                AclOperation.DESCRIBE));
        return acls;
    }

    /** The README's publisher rows. */
    static List<AclBinding> publisherAcls(String principal, String profiles) {
        return List.of(allow(principal, ResourceType.TOPIC, profiles, PatternType.LITERAL, AclOperation.WRITE),
                allow(principal, ResourceType.TOPIC, profiles, PatternType.LITERAL, AclOperation.DESCRIBE));
    }

    /** The README's replay rows. */
    static List<AclBinding> replayAcls(String principal, String requests, String out) {
        List<AclBinding> acls = new ArrayList<>();
        acls.add(allow(principal, ResourceType.TOPIC, requests, PatternType.LITERAL, AclOperation.READ));
        for (String topic : List.of(out, out + ".alerts")) {
            acls.add(allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE));
            acls.add(allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.CREATE));
        }
        acls.add(allow(principal, ResourceType.GROUP, "ncguard-replay-" + out, PatternType.LITERAL,
                AclOperation.READ));
        return acls;
    }

    private static AclBinding allow(String principal, ResourceType type, String name, PatternType pattern,
                                    AclOperation op) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW));
    }

    private static Map<String, String> login(String user) {
        return BrokerSecurity.clientSettings(user, PASSWORDS.get(user));
    }

    /** A --config file for {@code user} with {@code password}, plus {@code extra} lines. */
    private static Path configFile(String name, String user, String password, String... extra) throws IOException {
        List<String> lines = BrokerSecurity.clientSettings(user, password).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().replace("\\", "\\\\")).collect(Collectors.toList());
        lines.addAll(List.of(extra));
        return Files.writeString(dir.resolve(name + ".properties"), String.join("\n", lines) + "\n");
    }

    private byte[] encode(String id, byte[] pixels) {
        return serdes.requests().serializer().serialize("x", GuardFixtures.request(id, pixels));
    }

    @Test
    void eachPartWorksWithItsOwnLoginAndOnlyItsAcls() throws Exception {
        GuardTopics t = GuardTopics.forRequests(GuardTopics.DEFAULT_REQUESTS);
        Path guardConfig = configFile("guard", GUARD, PASSWORDS.get(GUARD), "commit.interval.ms=100",
                "state.dir=" + dir.resolve("state").toString().replace('\\', '/'));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        int[] exit = {-1};
        Thread serve = new Thread(() -> exit[0] = Main.run("serve", "--bootstrap", broker.bootstrap(), "--model",
                GuardFixtures.MODEL_ID + "=" + modelFile, "--config", guardConfig.toString(), "--http-port",
                String.valueOf(port)), "serve");
        serve.start();
        try {
            assertEquals(200, awaitReady(port, serve), "serve got ready with the guard's login");

            CliRun publish = CliRun.of("publish-profile", "--bootstrap", broker.bootstrap(), "--profile",
                    profileFile.toString(), "--config", configFile("publisher", PUBLISHER,
                            PASSWORDS.get(PUBLISHER)).toString());
            assertEquals(0, publish.exitCode(), publish.err());

            // Traffic until the published profile is in force: a triggered request lands in quarantine.
            Map<String, String> where = new HashMap<>();
            try (KafkaProducer<String, byte[]> out = new KafkaProducer<>(ClientSettings.of(broker.bootstrap(),
                    login("admin")), new StringSerializer(), new ByteArraySerializer());
                    TopicReader reader = new TopicReader(broker.bootstrap(), List.of(t.clean(), t.quarantine()),
                            login("admin"))) {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                for (int i = 0; !where.containsValue(t.quarantine()) && System.nanoTime() < end; i++) {
                    out.send(new ProducerRecord<>(t.requests(), "t" + i, encode("t" + i, GuardFixtures.triggered(i))));
                    out.send(new ProducerRecord<>(t.requests(), "c" + i, encode("c" + i, GuardFixtures.clean(i))));
                    out.flush();
                    for (ConsumerRecord<byte[], byte[]> r : reader.settle(Duration.ofMillis(300))) {
                        where.put(new String(r.key(), StandardCharsets.UTF_8), r.topic());
                    }
                }
            }
            assertTrue(where.containsValue(t.quarantine()), "a triggered request was dropped: " + where);
            where.forEach((id, topic) -> {
                if (id.startsWith("c")) {
                    assertEquals(t.clean(), topic, "clean request " + id);
                }
            });
        } finally {
            serve.interrupt();
            serve.join(60_000);
        }
        assertFalse(serve.isAlive(), "serve stopped");
        assertEquals(0, exit[0], "serve's exit code");

        CliRun replay = CliRun.of("replay", "--bootstrap", broker.bootstrap(), "--from", "0", "--profile",
                profileFile.toString(), "--model", GuardFixtures.MODEL_ID + "=" + modelFile, "--config",
                configFile("replay", REPLAY, PASSWORDS.get(REPLAY)).toString(), "--summary",
                dir.resolve("replay.json").toString());
        assertEquals(0, replay.exitCode(), replay.err());
        assertTrue(replay.out().matches("(?s).*would have been flagged: [1-9].*"), replay.out());
    }

    @Test
    void wrongPasswordIsAPromptAuthenticationErrorAndRoutesNothing() throws Exception {
        String requests = "wrong.requests";
        try (Admin admin = Admin.create(ClientSettings.of(broker.bootstrap(), login("admin")));
                KafkaProducer<String, byte[]> out = new KafkaProducer<>(ClientSettings.of(broker.bootstrap(),
                        login("admin")), new StringSerializer(), new ByteArraySerializer())) {
            admin.createTopics(List.of(new NewTopic(requests, Optional.of(1), Optional.empty()))).all()
                    .get(30, TimeUnit.SECONDS);
            out.send(new ProducerRecord<>(requests, "t0", encode("t0", GuardFixtures.triggered(0)))).get();

            long start = System.nanoTime();
            CliRun serve = CliRun.of("serve", "--bootstrap", broker.bootstrap(), "--model",
                    GuardFixtures.MODEL_ID + "=" + modelFile, "--requests", requests, "--http-port", "0",
                    "--config", configFile("wrong", GUARD, "not-the-password").toString());
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

            assertEquals(2, serve.exitCode(), serve.err());
            // Kafka's own log lines come before it; the error is the one line of ncguard's.
            List<String> error = serve.err().lines().filter(l -> l.startsWith("ncguard:")).toList();
            assertEquals(1, error.size(), serve.err());
            assertTrue(error.get(0).contains("Authentication failed"), error.get(0));
            assertTrue(error.get(0).contains("sasl.jaas.config"), "says where to fix it: " + error.get(0));
            assertTrue(seconds < 30, "failed within 30 s, took " + seconds + " s");
            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertFalse(topics.contains(requests + ".clean") || topics.contains(requests + ".quarantine"),
                    "no output topic was made: " + topics);
        }
    }

    @Test
    void publishingWhereTheAclsDoNotAllowItSaysSo() throws Exception {
        CliRun run = CliRun.of("publish-profile", "--bootstrap", broker.bootstrap(), "--profile",
                profileFile.toString(), "--topic", "not.the.profiles", "--config", configFile("publisher-elsewhere",
                        PUBLISHER, PASSWORDS.get(PUBLISHER), "max.block.ms=10000").toString());
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("Not authorized to access topics: [not.the.profiles]")
                && run.err().contains("lacks an ACL"), run.err());
    }

    /** /ready's status once it is 200, or the last one seen when serve stopped or 90 s passed. */
    private static int awaitReady(int port, Thread serve) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        int status = 0;
        while (status != 200 && serve.isAlive() && System.nanoTime() < end) {
            try {
                status = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        return status;
    }
}
