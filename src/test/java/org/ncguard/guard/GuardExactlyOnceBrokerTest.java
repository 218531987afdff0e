package org.ncguard.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.guard.serde.GuardSerdes;
import org.ncguard.testing.SharedBroker;
import org.ncguard.testing.TopicReader;

/**
 * Exactly-once across a crash: {@code ncguard serve} runs as a child process, is killed (SIGKILL) while requests
 * flow, and a second one with the same application id takes over. Every request id appears exactly once across
 * clean and quarantine, as a read_committed consumer sees them. Also checks the child's HTTP endpoints.
 */
class GuardExactlyOnceBrokerTest {

    private static final Pattern HTTP_LINE = Pattern.compile("http: http://localhost:(\\d+)/metrics");

    @TempDir
    static Path dir;

    static String bootstrap;
    static Path modelFile;
    static Path profileFile;
    private final GuardSerdes serdes = GuardSerdes.singleObject();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void setUp() throws Exception {
        bootstrap = SharedBroker.bootstrap();
        GuardBrokerTest.bootstrap = bootstrap;
        GuardFixtures.Served served = GuardFixtures.served(dir, "profile-1", "2026-01-01T00:00:00Z");
        modelFile = served.model();
        profileFile = served.profileFile();
    }

    private Process serve(String topic, String appId, Path log) throws IOException {
        Path config = dir.resolve(appId + "-" + log.getFileName() + ".properties");
        Files.writeString(config, String.join("\n",
                "commit.interval.ms=100",
                "consumer.session.timeout.ms=6000",
                "consumer.heartbeat.interval.ms=1000",
                "state.dir=" + dir.resolve("state-" + log.getFileName()).toString().replace('\\', '/')));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "org.ncguard.cli.Main", "serve", "--bootstrap", bootstrap, "--model", "tiny=" + modelFile,
                "--profile", profileFile.toString(), "--requests", topic, "--application-id", appId,
                "--http-port", "0", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits for the child's HTTP port line and then for /ready; returns the port. */
    private int awaitReady(Process p, Path log) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        int port = -1;
        while (System.nanoTime() < end && p.isAlive()) {
            if (port < 0) {
                Matcher m = HTTP_LINE.matcher(Files.readString(log));
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                }
            } else if (get(port, "/ready").statusCode() == 200) {
                return port;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the guard did not get ready; its output:\n" + Files.readString(log));
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyRequestExactlyOnceAcrossAKilledAndRestartedGuard() throws Exception {
        String name = "eos-" + UUID.randomUUID().toString().substring(0, 8);
        GuardConfig cfg = GuardBrokerTest.config(name, 2);
        String appId = "eos-app-" + name;
        int n = 3000;
        Path logA = dir.resolve("a.log");
        Path logB = dir.resolve("b.log");
        Process a = serve(name, appId, logA);
        Process b = null;
        try (KafkaProducer<String, byte[]> out = GuardBrokerTest.producer();
                TopicReader reader = new TopicReader(bootstrap, List.of(cfg.topics().clean(),
                        cfg.topics().quarantine()))) {
            int portA = awaitReady(a, logA);
            assertEquals(200, get(portA, "/health").statusCode());
            int sent = 0;
            for (; sent < n / 2; sent++) {
                send(out, name, sent);
                if (sent % 50 == 0) {
                    out.flush();
                    Thread.sleep(20);
                }
            }
            out.flush();
            // Requests flow; the guard has committed some of them and has a transaction open: kill it.
            reader.until(l -> l.size() >= 200, Duration.ofSeconds(60));
            String metrics = get(portA, "/metrics").body();
            assertTrue(metrics.contains("ncguard_requests_total{model=\"tiny\"}"), metrics);
            assertTrue(metrics.contains("ncguard_latency_seconds_bucket"), "latency histogram");
            assertTrue(metrics.contains("ncguard_profile_version{model=\"tiny\"} 1.0"), "profile version");
            a.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            int seenAtKill = reader.settle(Duration.ZERO).size();
            assertTrue(seenAtKill < n, "killed mid-stream (" + seenAtKill + " of " + n + " seen)");

            b = serve(name, appId, logB);
            for (; sent < n; sent++) {
                send(out, name, sent);
            }
            out.flush();
            int portB = awaitReady(b, logB);
            List<ConsumerRecord<byte[], byte[]>> got = reader.until(l -> l.size() >= n, Duration.ofSeconds(120));
            got = reader.settle(Duration.ofSeconds(2));
            Matcher done = Pattern.compile("ncguard_requests_total\\{model=\"tiny\"} (\\d+)")
                    .matcher(get(portB, "/metrics").body());
            assertTrue(done.find() && Double.parseDouble(done.group(1)) >= n / 2.0,
                    "the second guard scored at least the half sent after the kill");
            Map<String, Integer> counts = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : got) {
                counts.merge(new String(r.key(), StandardCharsets.UTF_8), 1, Integer::sum);
            }
            List<String> twice = counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                    .toList();
            assertEquals(List.of(), twice, "requests seen more than once");
            assertEquals(n, counts.size(), "requests seen (guard B's output:\n" + Files.readString(logB) + ")");
            assertEquals(n, got.size());
        } finally {
            a.destroyForcibly();
            if (b != null) {
                b.destroy();
                if (!b.waitFor(30, TimeUnit.SECONDS)) {
                    b.destroyForcibly();
                }
            }
        }
    }

    private void send(KafkaProducer<String, byte[]> out, String topic, int i) {
        String id = "r" + i;
        byte[] pixels = i % 3 == 0 ? GuardFixtures.triggered(i) : GuardFixtures.clean(i);
        out.send(new ProducerRecord<>(topic, id, serdes.requests().serializer().serialize(topic,
                GuardFixtures.request(id, pixels))));
    }
}
