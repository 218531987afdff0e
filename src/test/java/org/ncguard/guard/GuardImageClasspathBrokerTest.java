package org.ncguard.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.cli.Main;
import org.ncguard.guard.serde.GuardSerdes;
import org.ncguard.testing.TopicReader;
import org.w3c.dom.NodeList;

/**
 * The guard image's class path runs the guard: child JVMs on the runtime class path minus the jars that the pom's
 * guard image filters out (ND4J, JavaCPP and their natives) run {@code broker}, {@code publish-profile} and
 * {@code serve}, and a triggered request comes back from the quarantine topic.
 */
class GuardImageClasspathBrokerTest {

    @TempDir
    Path dir;

    /** Each child JVM and the file its output goes to. */
    private final Map<Process, Path> children = new LinkedHashMap<>();

    @AfterEach
    void stopChildren() throws InterruptedException {
        for (Process p : children.keySet()) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void guardRunsEndToEndWithoutNd4jOnTheClassPath() throws Exception {
        List<String> classPath = imageClassPath();
        assertTrue(classPath.stream().noneMatch(e -> e.contains("nd4j") || e.contains("javacpp")
                || e.contains("openblas") || e.contains("jna")), "no ND4J jar left: " + classPath);

        GuardFixtures.Served served = GuardFixtures.served(dir, "image-profile", "2026-01-01T00:00:00Z");
        Path modelFile = served.model();
        Path profileFile = served.profileFile();

        Process broker = start(classPath, "broker", "--port", "0");
        String bootstrap = awaitLine(broker, Pattern.compile("bootstrap: (\\S+)"), Duration.ofSeconds(90)).group(1);

        Process publish = start(classPath, "publish-profile", "--bootstrap", bootstrap, "--profile",
                profileFile.toString());
        assertTrue(publish.waitFor(90, TimeUnit.SECONDS), "publish-profile finished");
        assertEquals(0, publish.exitValue(), output(publish));

        int httpPort = freePort();
        String requests = GuardTopics.DEFAULT_REQUESTS;
        Process serve = start(classPath, "serve", "--bootstrap", bootstrap, "--model",
                GuardFixtures.MODEL_ID + "=" + modelFile, "--profile", profileFile.toString(), "--http-port",
                String.valueOf(httpPort), "--threads", "1");
        awaitReady(serve, httpPort, Duration.ofSeconds(120));

        try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            producer.send(new ProducerRecord<>(requests, "t1", GuardSerdes.singleObject().requests().serializer()
                    .serialize(requests, GuardFixtures.request("t1", GuardFixtures.triggered(3))))).get();
        }
        GuardTopics topics = GuardTopics.forRequests(requests);
        try (TopicReader reader = new TopicReader(bootstrap, List.of(topics.quarantine(), topics.profiles()))) {
            List<ConsumerRecord<byte[], byte[]>> got = reader.until(l -> l.stream()
                    .anyMatch(r -> r.topic().equals(topics.quarantine())), Duration.ofSeconds(60));
            ConsumerRecord<byte[], byte[]> routed = got.stream().filter(r -> r.topic().equals(topics.quarantine()))
                    .findFirst().orElseThrow(() -> new AssertionError("nothing in " + topics.quarantine() + "; "
                            + output(serve)));
            assertEquals("t1", new String(routed.key(), StandardCharsets.UTF_8));
            assertEquals("drop", header(routed, "ncguard-action"));
            assertEquals("image-profile", header(routed, "ncguard-profile"));
            assertTrue(got.stream().anyMatch(r -> r.topic().equals(topics.profiles())),
                    "publish-profile's record is on " + topics.profiles());
        }
        assertTrue(serve.isAlive(), output(serve));
    }

    /**
     * target/classes and the runtime jars, less those the guard image's layer filters in pom.xml remove: the same
     * globs, applied to the jar names as Jib lays them out ({@code /app/libs/NAME.jar}).
     */
    static List<String> imageClassPath() throws Exception {
        List<PathMatcher> filters = new ArrayList<>();
        NodeList globs = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new File("pom.xml"))
                .getElementsByTagName("glob");
        for (int i = 0; i < globs.getLength(); i++) {
            filters.add(FileSystems.getDefault().getPathMatcher("glob:" + globs.item(i).getTextContent().strip()));
        }
        assertFalse(filters.isEmpty(), "pom.xml names the guard image's layer filters");
        String runtime = Files.readString(Path.of(System.getProperty("ncguard.runtime.classpath"))).strip();
        List<String> kept = new ArrayList<>();
        kept.add(Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        int removed = 0;
        for (String jar : runtime.split(File.pathSeparator)) {
            Path inImage = Path.of("/app/libs", Path.of(jar).getFileName().toString());
            if (filters.stream().anyMatch(f -> f.matches(inImage))) {
                removed++;
            } else {
                kept.add(jar);
            }
        }
        assertTrue(removed >= 20, "the filters removed " + removed + " jars; ND4J brings more than 20");
        return kept;
    }

    private Process start(List<String> classPath, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m", "-cp", String.join(File.pathSeparator, classPath), Main.class.getName()));
        command.addAll(Arrays.asList(args));
        Path log = dir.resolve(args[0] + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        children.put(p, log);
        return p;
    }

    private String output(Process p) {
        try {
            return Files.readString(children.get(p));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private Matcher awaitLine(Process p, Pattern pattern, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end && p.isAlive()) {
            Matcher m = pattern.matcher(output(p));
            if (m.find()) {
                return m;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no line matching " + pattern + ": " + output(p));
    }

    private void awaitReady(Process serve, int port, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end && serve.isAlive()) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("serve never got ready: " + output(serve));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
