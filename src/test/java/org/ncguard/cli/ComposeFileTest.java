package org.ncguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ncguard.guard.GuardTopics;
import org.w3c.dom.Document;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * docker-compose.yml against the real command line, topics and image: every ncguard service's arguments parse with
 * {@link Main}'s picocli model, they reach the kafka service on its advertised listener, the guard's health check,
 * published port and image agree, and the topics are the guard's.
 */
class ComposeFileTest {

    private static Map<String, Map<String, Object>> services;
    private static Document pom;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void read() throws Exception {
        try (Reader r = Files.newBufferedReader(Path.of("docker-compose.yml"))) {
            Map<String, Object> compose = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
            services = (Map<String, Map<String, Object>>) compose.get("services");
        }
        pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new File("pom.xml"));
    }

    /** The services that run ncguard's image, with their parsed command lines. */
    private static Map<String, ParseResult> ncguardServices() {
        Map<String, ParseResult> parsed = new LinkedHashMap<>();
        services.forEach((name, s) -> {
            if (String.valueOf(s.get("image")).startsWith("ncguard/")) {
                parsed.put(name, parse(command(s)));
            }
        });
        return parsed;
    }

    @SuppressWarnings("unchecked")
    private static List<String> command(Map<String, Object> service) {
        return (List<String>) service.get("command");
    }

    /** The subcommand's parse result; picocli throws on unknown options and missing required ones. */
    private static ParseResult parse(List<String> args) {
        return new CommandLine(new Main()).parseArgs(args.toArray(String[]::new)).subcommand();
    }

    private static <T> T option(ParseResult command, String name) {
        return command.matchedOptionValue(name, command.commandSpec().findOption(name).getValue());
    }

    private static String pomProperty(String name) {
        String value = pom.getElementsByTagName(name).item(0).getTextContent().strip();
        return value.replace("${project.version}", pom.getElementsByTagName("version").item(0).getTextContent()
                .strip());
    }

    /** Resolves compose's {@code ${VAR:-default}} to its default. */
    private static String withDefaults(String value) {
        return value.replaceAll("\\$\\{[A-Z_]+:-([^}]*)}", "$1");
    }

    @Test
    void theParserRefusesAnUnknownOption() {
        assertThrows(CommandLine.UnmatchedArgumentException.class,
                () -> parse(List.of("serve", "--bootstrap", "kafka:9092", "--model", "a=b.onnx", "--no-such")));
    }

    @Test
    void everyNcguardServiceRunsARealCommandOfTheGuardImage() {
        Map<String, ParseResult> parsed = ncguardServices();
        assertEquals(List.of("serve", "publish-profile", "send"), parsed.values().stream()
                .map(p -> p.commandSpec().name()).toList());
        String image = pomProperty("image.guard");
        parsed.keySet().forEach(name -> assertEquals(image, withDefaults((String) services.get(name).get("image")),
                name + " runs the guard image the pom builds"));
    }

    @Test
    void bootstrapIsTheKafkaServicesAdvertisedListener() {
        @SuppressWarnings("unchecked")
        Map<String, Object> env = (Map<String, Object>) services.get("kafka").get("environment");
        for (var e : ncguardServices().entrySet()) {
            String bootstrap = option(e.getValue(), "--bootstrap");
            String host = bootstrap.substring(0, bootstrap.indexOf(':'));
            assertTrue(services.containsKey(host), e.getKey() + ": " + bootstrap + " names no service");
            assertTrue(String.valueOf(env.get("KAFKA_ADVERTISED_LISTENERS")).contains("://" + bootstrap),
                    e.getKey() + ": " + bootstrap + " is not an advertised listener of " + host);
            String port = bootstrap.substring(host.length() + 1);
            assertTrue(String.valueOf(env.get("KAFKA_LISTENERS")).contains(":" + port),
                    e.getKey() + ": nothing listens on " + bootstrap);
        }
    }

    @Test
    void singleNodeKafkaKeepsOneReplicaOfEveryInternalTopic() {
        @SuppressWarnings("unchecked")
        Map<String, Object> env = (Map<String, Object>) services.get("kafka").get("environment");
        assertEquals("apache/kafka:" + pomProperty("kafka.version"), services.get("kafka").get("image"));
        for (String key : List.of("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR",
                "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")) {
            assertEquals(1, env.get(key), key);
        }
        assertEquals("1@kafka:9093", env.get("KAFKA_CONTROLLER_QUORUM_VOTERS"));
    }

    @Test
    void guardsHttpPortMatchesItsHealthCheckAndPublishedPort() {
        Map<String, Object> guard = services.get("guard");
        int httpPort = option(ncguardServices().get("guard"), "--http-port");
        @SuppressWarnings("unchecked")
        List<String> check = (List<String>) ((Map<String, Object>) guard.get("healthcheck")).get("test");
        Matcher probe = Pattern.compile("/dev/tcp/127\\.0\\.0\\.1/(\\d+).*GET /ready").matcher(String.join(" ", check));
        assertTrue(probe.find(), "the health check asks /ready: " + check);
        assertEquals(httpPort, Integer.parseInt(probe.group(1)), "health check port");
        @SuppressWarnings("unchecked")
        List<String> ports = (List<String>) guard.get("ports");
        assertTrue(ports.stream().anyMatch(p -> p.endsWith(":" + httpPort)), "published: " + ports);
        assertTrue(pom.getElementsByTagName("port").item(0).getTextContent().strip().equals(String.valueOf(httpPort)),
                "the image exposes the guard's port");
    }

    @Test
    void topicsAreTheGuards() {
        Map<String, ParseResult> parsed = ncguardServices();
        String requests = option(parsed.get("guard"), "--requests");
        assertEquals(GuardTopics.DEFAULT_REQUESTS, requests);
        assertEquals(requests, option(parsed.get("traffic"), "--requests"), "traffic goes to the guarded topic");
        assertEquals(GuardTopics.forRequests(requests).profiles(), option(parsed.get("publish-profile"), "--topic"));
    }

    @Test
    void allNcguardServicesAgreeOnTheWireFormatAndTheModel() {
        Map<String, ParseResult> parsed = ncguardServices();
        String registry = option(parsed.get("guard"), "--registry-url");
        assertFalse(registry == null, "the guard uses the registry service");
        assertTrue(services.containsKey(registry.replaceAll("^http://([^:/]+).*", "$1")), registry);
        parsed.forEach((name, p) -> assertEquals(registry, option(p, "--registry-url"), name));
        List<String> served = option(parsed.get("guard"), "--model");
        assertEquals(served.get(0), option(parsed.get("traffic"), "--model"), "traffic is for the served model");
        Path published = option(parsed.get("publish-profile"), "--profile");
        assertEquals(List.of(published), option(parsed.get("guard"), "--profile"),
                "the guard starts with the profile the job publishes");
    }
}
