package org.ncguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ncguard.guard.http.OpsServer;
import picocli.CommandLine;

/**
 * The guard's Deployment agrees with the application: its args parse as ncguard's own {@code serve} command line; the
 * probes, the Service, the NetworkPolicy and the scrape annotations use the port {@code --http-port} opens and the
 * paths {@link OpsServer} serves; the PodDisruptionBudget and the autoscaler select its pods; every file the args
 * name is mounted from where it is made.
 */
class GuardDeploymentTest {

    // Strimzi's User Operator writes these keys into a SCRAM-SHA-512 user's Secret.
    private static final Set<String> SCRAM_USER_SECRET_KEYS = Set.of("password", "sasl.jaas.config");
    private static final Set<String> KAFKA_SETTINGS = kafkaSettings();

    private static GuardManifest manifest;
    private static K8sManifests manifests;
    private static Container guard;

    @BeforeAll
    static void load() throws IOException {
        manifest = GuardManifest.load();
        manifests = manifest.manifests();
        guard = manifest.container();
    }

    /** Every setting a Kafka Streams application or its clients know. */
    private static Set<String> kafkaSettings() {
        Set<String> names = new TreeSet<>(StreamsConfig.configDef().names());
        names.addAll(ProducerConfig.configNames());
        names.addAll(ConsumerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        return names;
    }

    @Test
    void guardArgsAreAServeCommandLineThatRejectsUnknownOptions() {
        assertEquals("serve", manifest.serve().commandSpec().name());
        List<String> args = new ArrayList<>(guard.getArgs());
        args.add("--no-such-option");
        assertThrows(CommandLine.UnmatchedArgumentException.class,
                () -> new CommandLine(new Main()).parseArgs(args.toArray(String[]::new)),
                "a control: the parse above would have failed on an option serve does not have");
    }

    @Test
    void probesHitTheOpsServersPathsOnTheHttpPort() throws Exception {
        int httpPort = manifest.option("--http-port");
        assertTrue(guard.getPorts().stream().anyMatch(p -> p.getContainerPort() == httpPort),
                "a container port " + httpPort + " (--http-port): " + guard.getPorts());
        String alive = guard.getLivenessProbe().getHttpGet().getPath();
        String started = guard.getStartupProbe().getHttpGet().getPath();
        String ready = guard.getReadinessProbe().getHttpGet().getPath();
        for (var probe : List.of(guard.getLivenessProbe(), guard.getStartupProbe(), guard.getReadinessProbe())) {
            assertEquals(httpPort, K8sManifests.portNumber(guard, probe.getHttpGet().getPort()));
        }
        Map<String, String> scrape = manifest.deployment().getSpec().getTemplate().getMetadata().getAnnotations();
        assertEquals(String.valueOf(httpPort), scrape.get("prometheus.io/port"));
        // The JDK's server also answers /readyz on /ready's context: the paths must be OpsServer's exactly.
        assertEquals(List.of("/health", "/health", "/ready", "/metrics"),
                List.of(alive, started, ready, scrape.get("prometheus.io/path")));
        // Ask the guard's own HTTP server, alive but not ready, for the manifests' paths.
        try (OpsServer ops = OpsServer.start(0, () -> true, () -> false, () -> "ncguard_up 1\n")) {
            assertEquals(200, get(ops, alive).statusCode(), "liveness " + alive);
            assertEquals(200, get(ops, started).statusCode(), "startup " + started);
            assertEquals(503, get(ops, ready).statusCode(), "readiness " + ready + " before the guard is ready");
            HttpResponse<String> metrics = get(ops, scrape.get("prometheus.io/path"));
            assertEquals(200, metrics.statusCode());
            assertEquals("ncguard_up 1\n", metrics.body());
        }
    }

    private static HttpResponse<String> get(OpsServer ops, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + ops.port()
                + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void serviceSelectsTheGuardsAndTargetsTheHttpPort() {
        Service service = manifests.named(Service.class, GuardManifest.NAME);
        assertTrue(manifest.selects(service.getSpec().getSelector()), "selector " + service.getSpec().getSelector());
        int httpPort = manifest.option("--http-port");
        for (ServicePort p : service.getSpec().getPorts()) {
            assertEquals(httpPort, K8sManifests.portNumber(guard, p.getTargetPort()), p.getName());
        }
    }

    @Test
    void disruptionBudgetAndAutoscalerSelectTheGuards() {
        assertTrue(manifest.selects(manifest.deployment().getSpec().getSelector().getMatchLabels()),
                "the Deployment selects its pods");
        PodDisruptionBudget pdb = manifests.named(PodDisruptionBudget.class, GuardManifest.NAME);
        assertTrue(manifest.selects(pdb.getSpec().getSelector().getMatchLabels()), "PDB selector");
        HorizontalPodAutoscaler hpa = manifests.named(HorizontalPodAutoscaler.class, GuardManifest.NAME);
        var target = hpa.getSpec().getScaleTargetRef();
        assertEquals(List.of(manifest.deployment().getApiVersion(), "Deployment", GuardManifest.NAME),
                List.of(target.getApiVersion(), target.getKind(), target.getName()));
        assertTrue(hpa.getSpec().getMinReplicas() > pdb.getSpec().getMaxUnavailable().getIntVal(),
                "a drain leaves a guard running");
        int streamThreads = manifest.option("--stream-threads");
        int partitions = manifests.partitions(manifest.topics().requests());
        assertTrue(hpa.getSpec().getMaxReplicas() * streamThreads <= partitions, "at most one stream thread per "
                + "requests partition (" + partitions + "): more would idle");
        assertEquals(null, manifest.deployment().getSpec().getReplicas(), "the autoscaler sets the replicas");
    }

    @Test
    void bootstrapIsTheStrimziClustersBootstrapService() {
        String bootstrap = manifest.option("--bootstrap");
        assertTrue(bootstrap.startsWith(manifests.kafkaCluster() + "-kafka-bootstrap:"), bootstrap);
    }

    @Test
    void networkPolicyLetsHttpInAndKafkaOut() {
        NetworkPolicy policy = manifests.named(NetworkPolicy.class, GuardManifest.NAME);
        assertTrue(manifest.selects(policy.getSpec().getPodSelector().getMatchLabels()), "policy's pod selector");
        assertEquals(List.of("Ingress", "Egress"), policy.getSpec().getPolicyTypes());
        int httpPort = manifest.option("--http-port");
        assertTrue(policy.getSpec().getIngress().stream().flatMap(r -> r.getPorts().stream())
                .anyMatch(p -> K8sManifests.portNumber(guard, p.getPort()) == httpPort), "ingress to " + httpPort);
        String bootstrap = manifest.option("--bootstrap");
        int kafkaPort = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
        String cluster = manifests.kafkaCluster();
        assertTrue(policy.getSpec().getEgress().stream().anyMatch(r -> r.getTo().stream().anyMatch(
                        peer -> peer.getPodSelector() != null
                                && cluster.equals(peer.getPodSelector().getMatchLabels().get("strimzi.io/cluster")))
                        && r.getPorts().stream().map(NetworkPolicyPort::getPort)
                                .anyMatch(p -> p.getIntVal() != null && p.getIntVal() == kafkaPort)),
                "egress to the brokers of " + cluster + " on " + kafkaPort);
        assertTrue(policy.getSpec().getEgress().stream().flatMap(r -> r.getPorts().stream())
                .anyMatch(p -> p.getPort().getIntVal() == 53 && "UDP".equals(p.getProtocol())), "DNS");
    }

    @Test
    void kafkaConfigIsKafkaSettingsWithCredentialsFromTheGuardUsersSecret() throws Exception {
        // --config: a key of the ConfigMap in k8s/.
        PodSpec pod = manifest.pod();
        K8sManifests.Mounted config = K8sManifests.mountOf(pod, guard, manifest.option("--config").toString());
        String configMap = config.volume().getConfigMap().getName();
        String properties = manifests.named(ConfigMap.class, configMap).getData().get(config.relative());
        assertNotNull(properties, configMap + " has no key " + config.relative());
        Properties kafka = new Properties();
        kafka.load(new StringReader(properties));
        for (String key : kafka.stringPropertyNames()) {
            assertTrue(KAFKA_SETTINGS.contains(key) || key.startsWith("config.providers."), "not a Kafka setting: "
                    + key);
        }
        // ${secrets:DIR:KEY}: a file of the Secret the User Operator writes for the guard's KafkaUser.
        Matcher ref = Pattern.compile("\\$\\{secrets:([^:}]+):([^}]+)}").matcher(kafka.getProperty("sasl.jaas.config"));
        assertTrue(ref.matches(), "sasl.jaas.config comes from the secret: " + kafka.getProperty("sasl.jaas.config"));
        assertEquals("org.apache.kafka.common.config.provider.DirectoryConfigProvider",
                kafka.getProperty("config.providers.secrets.class"));
        assertEquals(ref.group(1), kafka.getProperty("config.providers.secrets.param.allowed.paths"));
        K8sManifests.Mounted credentials = K8sManifests.mountOf(pod, guard, ref.group(1) + "/" + ref.group(2));
        assertEquals(GuardManifest.NAME, credentials.volume().getSecret().getSecretName(),
                "the Secret of the guard's KafkaUser");
        assertTrue(SCRAM_USER_SECRET_KEYS.contains(credentials.relative()), credentials.relative());
        K8sManifests.Mounted ca = K8sManifests.mountOf(pod, guard, kafka.getProperty("ssl.truststore.location"));
        assertEquals(manifests.kafkaCluster() + "-cluster-ca-cert", ca.volume().getSecret().getSecretName());
        assertEquals("ca.crt", ca.volume().getSecret().getItems().stream()
                .filter(i -> i.getPath().equals(ca.relative())).findFirst().orElseThrow().getKey());
    }

    @Test
    void keysModelsAndProfilesAreMountedReadOnly() throws Exception {
        List<String> files = new ArrayList<>();
        List<Path> profiles = manifest.option("--profile");
        profiles.forEach(p -> files.add(p.toString()));
        ServeCommand.parseModels(manifest.option("--model")).values().forEach(m -> files.add(m.toString()));
        List<Path> keys = manifest.option("--trust-key");
        assertTrue(!keys.isEmpty() && !profiles.isEmpty() && files.size() > profiles.size(), "a trust key, a profile "
                + "and a model: " + keys + " " + files);
        String readme = Files.readString(K8sManifests.DIR.resolve("README.md"));
        for (Path key : keys) {
            K8sManifests.Mounted m = K8sManifests.mountOf(manifest.pod(), guard, key.toString());
            String create = "create configmap " + m.volume().getConfigMap().getName() + " --from-file="
                    + m.relative();
            assertTrue(readme.contains(create), "k8s/README.md tells how to make the key's ConfigMap: " + create);
            files.add(key.toString());
        }
        for (String f : files) {
            K8sManifests.Mounted m = K8sManifests.mountOf(manifest.pod(), guard, f);
            assertTrue(Boolean.TRUE.equals(m.mount().getReadOnly()), f + " is mounted read-only");
        }
        manifests.assertVolumesExist(manifest.pod(), "guard");
    }
}
