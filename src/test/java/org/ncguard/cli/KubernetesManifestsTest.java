package org.ncguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ncguard.guard.GuardTopics;
import org.ncguard.guard.http.OpsServer;
import org.ncguard.guard.replay.ReplayConfig;
import org.ncguard.guard.replay.ReplayRange;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The {@code k8s/} manifests agree with the application: the guard's container args parse with ncguard's own command
 * line, the probes and the Service reach the port {@code --http-port} opens on the paths {@link OpsServer} serves,
 * every topic of {@link GuardTopics} has a Strimzi KafkaTopic, and each KafkaUser may do what its program needs and
 * no more.
 */
class KubernetesManifestsTest {

    private static final String GUARD = "ncguard-guard";
    private static final String PUBLISHER = "ncguard-publisher";
    private static final String REPLAY = "ncguard-replay";
    // Made outside k8s/ by whoever deploys (k8s/README.md); the Secrets come from Strimzi (assertVolumesExist).
    private static final Set<String> CONFIG_MAPS_MADE_ELSEWHERE = Set.of("ncguard-trust-keys");
    // Strimzi's User Operator writes these keys into a SCRAM-SHA-512 user's Secret.
    private static final Set<String> SCRAM_USER_SECRET_KEYS = Set.of("password", "sasl.jaas.config");

    private static final Set<String> KAFKA_SETTINGS = kafkaSettings();
    // The spec fields of Strimzi's v1 schemas (StrimziAcls checks the ACL rules).
    private static final Map<String, Set<String>> STRIMZI_SPEC_FIELDS = Map.of(
            "KafkaTopic", Set.of("topicName", "partitions", "replicas", "config"),
            "KafkaUser", Set.of("userName", "authentication", "authorization", "quotas", "template"));

    private static K8sManifests manifests;
    private static Deployment deployment;
    private static PodSpec pod;
    private static Container guard;
    private static ParseResult serve;

    @BeforeAll
    static void load() throws IOException {
        manifests = K8sManifests.load();
        deployment = manifests.named(Deployment.class, GUARD);
        pod = deployment.getSpec().getTemplate().getSpec();
        assertEquals(1, pod.getContainers().size(), "one container in the guard's pod");
        guard = pod.getContainers().get(0);
        serve = new CommandLine(new Main()).parseArgs(guard.getArgs().toArray(String[]::new)).subcommand();
    }

    /** Every setting a Kafka Streams application or its clients know. */
    private static Set<String> kafkaSettings() {
        Set<String> names = new TreeSet<>(StreamsConfig.configDef().names());
        names.addAll(ProducerConfig.configNames());
        names.addAll(ConsumerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        return names;
    }

    private static <T> T serveOption(String name) {
        return serve.commandSpec().findOption(name).getValue();
    }

    private static GuardTopics topics() {
        return GuardTopics.forRequests(serveOption("--requests"));
    }

    private static String applicationId() {
        return serveOption("--application-id");
    }

    @Test
    void everyManifestParsesWithoutFieldsKubernetesWouldNotKnow() throws Exception {
        assertTrue(manifests.entries().size() >= 15, "resources read: " + manifests.entries().size());
        for (K8sManifests.Entry e : manifests.entries()) {
            assertNotNull(e.resource().getMetadata().getName(), e.file() + ": a resource without a name");
            assertTrue(e.resource().getMetadata().getNamespace() == null,
                    e.file() + ": the namespace belongs in kustomization.yaml, not in " + e.resource().getKind());
            if (e.resource() instanceof GenericKubernetesResource g) {
                assertEquals("kafka.strimzi.io/v1", g.getApiVersion(), e.file() + ": " + g.getKind()
                        + " is neither a kind fabric8 knows nor a Strimzi v1 resource");
                Map<String, Object> spec = K8sManifests.spec(g);
                assertTrue(STRIMZI_SPEC_FIELDS.get(g.getKind()).containsAll(spec.keySet()), e.file() + ": "
                        + spec.keySet() + " are not all fields of a Strimzi " + g.getKind());
            } else {
                List<String> unknown = new ArrayList<>();
                unknownFields(e.resource(), e.resource().getKind(), unknown);
                assertEquals(List.of(), unknown, e.file() + ": fields the Kubernetes API does not have");
            }
        }
    }

    /** fabric8 keeps a field its model lacks (a typo, a wrong level) in additionalProperties: collect them all. */
    private static void unknownFields(Object node, String where, List<String> out) throws Exception {
        if (node instanceof Collection<?> c) {
            for (Object o : c) {
                unknownFields(o, where + "[]", out);
            }
            return;
        }
        if (node instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                unknownFields(e.getValue(), where + "." + e.getKey(), out);
            }
            return;
        }
        if (!(node instanceof KubernetesResource)) {
            return;
        }
        for (Method g : node.getClass().getMethods()) {
            if (g.getParameterCount() != 0 || !g.getName().startsWith("get") || g.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value = g.invoke(node);
            if (g.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    out.add(where + ": " + extra.keySet());
                }
            } else if (value != null) {
                unknownFields(value, where + "." + g.getName().substring(3), out);
            }
        }
    }

    @Test
    void kustomizationListsEveryManifestButTheJobs() throws IOException {
        Set<String> listed = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\s+-\\s+(\\S+\\.yaml)\\s*$")
                .matcher(Files.readString(K8sManifests.DIR.resolve("kustomization.yaml")));
        while (m.find()) {
            listed.add(m.group(1));
        }
        Set<String> expected = new TreeSet<>();
        for (K8sManifests.Entry e : manifests.entries()) {
            if (!(e.resource() instanceof Job)) {
                expected.add(e.file().getFileName().toString());
            }
        }
        assertEquals(expected, listed);
    }

    @Test
    void guardArgsAreAServeCommandLineThatRejectsUnknownOptions() {
        assertEquals("serve", serve.commandSpec().name());
        List<String> args = new ArrayList<>(guard.getArgs());
        args.add("--no-such-option");
        assertThrows(CommandLine.UnmatchedArgumentException.class,
                () -> new CommandLine(new Main()).parseArgs(args.toArray(String[]::new)),
                "a control: the parse above would have failed on an option serve does not have");
    }

    @Test
    void imagesAreTheProjectsVersion() throws Exception {
        String version = XPathFactory.newInstance().newXPath().evaluate("/*[local-name()='project']"
                + "/*[local-name()='version']", DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Path.of("pom.xml").toFile())).trim();
        assertFalse(version.isEmpty(), "the project's version in pom.xml");
        assertEquals("ncguard/guard:" + version, guard.getImage());
        for (Job job : manifests.all(Job.class)) {
            for (Container c : job.getSpec().getTemplate().getSpec().getContainers()) {
                assertEquals("ncguard/ncguard:" + version, c.getImage(), job.getMetadata().getName());
            }
        }
    }

    @Test
    void probesHitTheOpsServersPathsOnTheHttpPort() throws Exception {
        int httpPort = serveOption("--http-port");
        assertTrue(guard.getPorts().stream().anyMatch(p -> p.getContainerPort() == httpPort),
                "a container port " + httpPort + " (--http-port): " + guard.getPorts());
        String alive = guard.getLivenessProbe().getHttpGet().getPath();
        String started = guard.getStartupProbe().getHttpGet().getPath();
        String ready = guard.getReadinessProbe().getHttpGet().getPath();
        for (var probe : List.of(guard.getLivenessProbe(), guard.getStartupProbe(), guard.getReadinessProbe())) {
            assertEquals(httpPort, K8sManifests.portNumber(guard, probe.getHttpGet().getPort()));
        }
        Map<String, String> scrape = deployment.getSpec().getTemplate().getMetadata().getAnnotations();
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
        Service service = manifests.named(Service.class, GUARD);
        assertTrue(selects(service.getSpec().getSelector()), "service selector " + service.getSpec().getSelector());
        int httpPort = serveOption("--http-port");
        for (ServicePort p : service.getSpec().getPorts()) {
            assertEquals(httpPort, K8sManifests.portNumber(guard, p.getTargetPort()), p.getName());
        }
    }

    /** Whether {@code selector} picks the guard's pods, and no pod without the Deployment's own selector labels. */
    private static boolean selects(Map<String, String> selector) {
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        return podLabels.entrySet().containsAll(selector.entrySet())
                && selector.entrySet().containsAll(deployment.getSpec().getSelector().getMatchLabels().entrySet());
    }

    @Test
    void disruptionBudgetAndAutoscalerSelectTheGuards() {
        assertTrue(selects(deployment.getSpec().getSelector().getMatchLabels()), "the Deployment selects its pods");
        PodDisruptionBudget pdb = manifests.named(PodDisruptionBudget.class, GUARD);
        assertTrue(selects(pdb.getSpec().getSelector().getMatchLabels()), "PDB selector");
        HorizontalPodAutoscaler hpa = manifests.named(HorizontalPodAutoscaler.class, GUARD);
        var target = hpa.getSpec().getScaleTargetRef();
        assertEquals(List.of(deployment.getApiVersion(), "Deployment", GUARD),
                List.of(target.getApiVersion(), target.getKind(), target.getName()));
        assertTrue(hpa.getSpec().getMinReplicas() > pdb.getSpec().getMaxUnavailable().getIntVal(),
                "a drain leaves a guard running");
        int streamThreads = serveOption("--stream-threads");
        int partitions = partitions(topics().requests());
        assertTrue(hpa.getSpec().getMaxReplicas() * streamThreads <= partitions, "at most one stream thread per "
                + "requests partition (" + partitions + "): more would idle");
        assertEquals(null, deployment.getSpec().getReplicas(), "the autoscaler sets the replicas");
    }

    @Test
    void networkPolicyLetsHttpInAndKafkaOut() {
        NetworkPolicy policy = manifests.named(NetworkPolicy.class, GUARD);
        assertTrue(selects(policy.getSpec().getPodSelector().getMatchLabels()), "policy's pod selector");
        assertEquals(List.of("Ingress", "Egress"), policy.getSpec().getPolicyTypes());
        int httpPort = serveOption("--http-port");
        assertTrue(policy.getSpec().getIngress().stream().flatMap(r -> r.getPorts().stream())
                .anyMatch(p -> K8sManifests.portNumber(guard, p.getPort()) == httpPort), "ingress to " + httpPort);
        String bootstrap = serveOption("--bootstrap");
        int kafkaPort = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
        String cluster = kafkaCluster();
        assertTrue(policy.getSpec().getEgress().stream().anyMatch(r -> r.getTo().stream().anyMatch(
                        peer -> peer.getPodSelector() != null
                                && cluster.equals(peer.getPodSelector().getMatchLabels().get("strimzi.io/cluster")))
                        && r.getPorts().stream().map(NetworkPolicyPort::getPort)
                                .anyMatch(p -> p.getIntVal() != null && p.getIntVal() == kafkaPort)),
                "egress to the brokers of " + cluster + " on " + kafkaPort);
        assertTrue(policy.getSpec().getEgress().stream().flatMap(r -> r.getPorts().stream())
                .anyMatch(p -> p.getPort().getIntVal() == 53 && "UDP".equals(p.getProtocol())), "DNS");
    }

    /** The Strimzi cluster every KafkaTopic and KafkaUser names; the guard's bootstrap is its bootstrap service. */
    private static String kafkaCluster() {
        Set<String> clusters = new TreeSet<>();
        manifests.custom("KafkaTopic").forEach(t -> clusters.add(t.getMetadata().getLabels().get("strimzi.io/cluster")));
        manifests.custom("KafkaUser").forEach(u -> clusters.add(u.getMetadata().getLabels().get("strimzi.io/cluster")));
        assertEquals(1, clusters.size(), "one Kafka cluster: " + clusters);
        String cluster = clusters.iterator().next();
        String bootstrap = serveOption("--bootstrap");
        assertTrue(bootstrap.startsWith(cluster + "-kafka-bootstrap:"), "--bootstrap " + bootstrap
                + " is Strimzi's bootstrap service of " + cluster);
        return cluster;
    }

    private static GenericKubernetesResource topic(String name) {
        List<GenericKubernetesResource> found = manifests.custom("KafkaTopic").stream()
                .filter(t -> name.equals(K8sManifests.spec(t, "topicName"))).toList();
        assertEquals(1, found.size(), "one KafkaTopic with topicName " + name);
        return found.get(0);
    }

    private static int partitions(String topic) {
        return ((Number) K8sManifests.spec(topic(topic), "partitions")).intValue();
    }

    @Test
    void everyTopicOfTheGuardAndTheReplayHasAKafkaTopic() {
        GuardTopics t = topics();
        int partitions = partitions(t.requests());
        for (String output : t.outputs()) {
            assertEquals(partitions, partitions(output), output + " has the requests topic's partition count");
        }
        Map<String, Object> profilesConfig = K8sManifests.spec(topic(t.profiles()), "config");
        assertEquals("compact", profilesConfig.get("cleanup.policy"), t.profiles());
        for (String output : t.outputs()) {
            Map<String, Object> config = K8sManifests.spec(topic(output), "config");
            assertFalse(config != null && "compact".equals(config.get("cleanup.policy")), output + " is not compacted");
        }
        ReplayConfig replay = replayDefaults();
        Set<String> expected = new TreeSet<>(t.outputs());
        expected.addAll(List.of(t.requests(), t.profiles(), replay.out(), replay.alerts()));
        Set<String> declared = new TreeSet<>();
        manifests.custom("KafkaTopic").forEach(topic -> declared.add(K8sManifests.spec(topic, "topicName")));
        assertEquals(expected, declared);
    }

    private static ReplayConfig replayDefaults() {
        return ReplayConfig.of(serveOption("--bootstrap"), serveOption("--requests"), ReplayConfig.DEFAULT_OUT,
                new ReplayRange(Instant.EPOCH, Instant.now()));
    }

    private static StrimziAcls user(String name) {
        List<GenericKubernetesResource> found = manifests.custom("KafkaUser").stream()
                .filter(u -> u.getMetadata().getName().equals(name)).toList();
        assertEquals(1, found.size(), "one KafkaUser " + name);
        assertEquals("scram-sha-512", K8sManifests.spec(found.get(0), "authentication", "type"));
        return StrimziAcls.of(found.get(0));
    }

    @Test
    void guardUserMayDoExactlyWhatTheGuardNeeds() {
        GuardTopics t = topics();
        String app = applicationId();
        Set<String> expected = new TreeSet<>();
        for (String in : List.of(t.requests(), t.profiles())) {
            expected.addAll(List.of("topic:literal:" + in + ":Read", "topic:literal:" + in + ":Describe"));
        }
        for (String out : t.outputs()) {
            expected.addAll(List.of("topic:literal:" + out + ":Write", "topic:literal:" + out + ":Describe"));
        }
        // TopicSetup reads the clean and quarantine topics' max.message.bytes.
        expected.add("topic:literal:" + t.clean() + ":DescribeConfigs");
        expected.add("topic:literal:" + t.quarantine() + ":DescribeConfigs");
        for (String op : List.of("Create", "Read", "Write", "Delete", "Describe", "DescribeConfigs")) {
            expected.add("topic:prefix:" + app + "-:" + op); // Kafka Streams' internal topics
        }
        expected.addAll(List.of("group:literal:" + app + ":Read", "group:literal:" + app + ":Describe",
                "transactionalId:prefix:" + app + "-:Write", "transactionalId:prefix:" + app + "-:Describe",
                "cluster:literal::IdempotentWrite"));
        StrimziAcls guardUser = user(GUARD);
        assertEquals(expected, guardUser.lines());

        assertFalse(guardUser.allows("topic", t.profiles(), "Write"), "a guard cannot change the profiles");
        assertFalse(guardUser.allows("topic", t.requests(), "Write"), "a guard cannot forge requests");
        assertTrue(guardUser.allows("topic", app + "-profile-store-changelog", "Create"), "internal topics");
        assertTrue(guardUser.allows("transactionalId", app + "-7f3c-0", "Write"), "exactly-once producers");
    }

    @Test
    void onlyThePublisherWritesProfiles() {
        String profiles = topics().profiles();
        StrimziAcls publisher = user(PUBLISHER);
        assertEquals(Set.of("topic:literal:" + profiles + ":Write", "topic:literal:" + profiles + ":Describe"),
                publisher.lines());
        List<String> writers = manifests.custom("KafkaUser").stream().map(StrimziAcls::of)
                .filter(u -> u.allows("topic", profiles, "Write")).map(StrimziAcls::user).toList();
        assertEquals(List.of(PUBLISHER), writers);
    }

    @Test
    void replayUserReadsRequestsAndWritesOnlyItsOwnTopics() {
        ReplayConfig replay = replayDefaults();
        StrimziAcls r = user(REPLAY);
        assertTrue(r.allows("topic", replay.requests(), "Read"));
        assertTrue(r.allows("group", replay.groupId(), "Read"), "commits progress to " + replay.groupId());
        for (String out : List.of(replay.out(), replay.alerts())) {
            assertTrue(r.allows("topic", out, "Write") && r.allows("topic", out, "Create"), out);
        }
        GuardTopics live = topics();
        List<String> liveTopics = new ArrayList<>(live.outputs());
        liveTopics.addAll(List.of(live.requests(), live.profiles()));
        for (String topic : liveTopics) {
            assertFalse(r.allows("topic", topic, "Write"), "the replay never writes " + topic);
        }
        assertFalse(r.allows("group", applicationId(), "Read"), "the replay never joins the guard's group");
    }

    @Test
    void kafkaConfigIsKafkaSettingsWithCredentialsFromTheGuardUsersSecret() throws Exception {
        // --config: the ConfigMap in k8s/, read by the command's own loader.
        K8sManifests.Mounted config = K8sManifests.mountOf(pod, guard, serveOption("--config").toString());
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
        assertEquals(GUARD, credentials.volume().getSecret().getSecretName(), "the guard's KafkaUser's Secret");
        assertTrue(SCRAM_USER_SECRET_KEYS.contains(credentials.relative()), credentials.relative());
        K8sManifests.Mounted ca = K8sManifests.mountOf(pod, guard, kafka.getProperty("ssl.truststore.location"));
        assertEquals(kafkaCluster() + "-cluster-ca-cert", ca.volume().getSecret().getSecretName());
        assertEquals("ca.crt", ca.volume().getSecret().getItems().stream()
                .filter(i -> i.getPath().equals(ca.relative())).findFirst().orElseThrow().getKey());
    }

    @Test
    void keysModelsAndProfilesAreMountedReadOnly() throws Exception {
        List<String> files = new ArrayList<>();
        List<Path> profiles = serveOption("--profile");
        profiles.forEach(p -> files.add(p.toString()));
        ServeCommand.parseModels(serveOption("--model")).values().forEach(m -> files.add(m.toString()));
        List<Path> keys = serveOption("--trust-key");
        assertTrue(!keys.isEmpty() && !profiles.isEmpty() && files.size() > profiles.size(), "a trust key, a profile "
                + "and a model: " + keys + " " + files);
        String readme = Files.readString(K8sManifests.DIR.resolve("README.md"));
        for (Path key : keys) {
            K8sManifests.Mounted m = K8sManifests.mountOf(pod, guard, key.toString());
            String create = "create configmap " + m.volume().getConfigMap().getName() + " --from-file="
                    + m.relative();
            assertTrue(readme.contains(create), "k8s/README.md tells how to make the key's ConfigMap: " + create);
            files.add(key.toString());
        }
        for (String f : files) {
            K8sManifests.Mounted m = K8sManifests.mountOf(pod, guard, f);
            assertTrue(Boolean.TRUE.equals(m.mount().getReadOnly()), f + " is mounted read-only");
        }
        assertVolumesExist(pod, "guard");
    }

    /** Every ConfigMap, Secret and claim a pod mounts is in k8s/ or made by Strimzi or the operator. */
    private static void assertVolumesExist(PodSpec spec, String what) {
        Set<String> strimziSecrets = new TreeSet<>();
        manifests.custom("KafkaUser").forEach(u -> strimziSecrets.add(u.getMetadata().getName()));
        strimziSecrets.add(kafkaCluster() + "-cluster-ca-cert");
        for (Volume v : spec.getVolumes()) {
            if (v.getConfigMap() != null) {
                String n = v.getConfigMap().getName();
                assertTrue(manifests.defines("ConfigMap", n) || CONFIG_MAPS_MADE_ELSEWHERE.contains(n), what + ": " + n);
            } else if (v.getSecret() != null) {
                assertTrue(strimziSecrets.contains(v.getSecret().getSecretName()), what + ": "
                        + v.getSecret().getSecretName());
            } else if (v.getPersistentVolumeClaim() != null) {
                String n = v.getPersistentVolumeClaim().getClaimName();
                assertTrue(manifests.defines("PersistentVolumeClaim", n), what + ": " + n);
            } else {
                assertNotNull(v.getEmptyDir(), what + ": volume " + v.getName() + " of an unexpected kind");
            }
        }
    }

    @Test
    void scanJobRunsOneShardPerIndexIntoItsOwnFolder() {
        Job scan = manifests.named(Job.class, "ncguard-scan");
        assertEquals("Indexed", scan.getSpec().getCompletionMode());
        int shards = scan.getSpec().getCompletions();
        assertEquals(shards, scan.getSpec().getParallelism(), "all shards at once");
        PodSpec spec = scan.getSpec().getTemplate().getSpec();
        Container c = spec.getContainers().get(0);
        // --shard K/N lands with the sharded scan: its shape is checked here, the rest by ncguard's command line.
        List<String> args = new ArrayList<>(c.getArgs());
        assertTrue(args.remove("--shard=$(JOB_COMPLETION_INDEX)/" + shards), "--shard=$(JOB_COMPLETION_INDEX)/"
                + shards + " in " + c.getArgs());
        ParseResult parsed = new CommandLine(new Main()).parseArgs(args.toArray(String[]::new)).subcommand();
        assertEquals("scan", parsed.commandSpec().name());
        String out = parsed.matchedOptionValue("--out", (Path) null).toString();
        assertEquals("shard-$(JOB_COMPLETION_INDEX)", Path.of(out).getFileName().toString());
        K8sManifests.Mounted outMount = K8sManifests.mountOf(spec, c, out);
        assertFalse(Boolean.TRUE.equals(outMount.mount().getReadOnly()), out + " is writable");
        List<String> inputs = List.of(parsed.matchedOptionValue("--model", (Path) null).toString(),
                parsed.matchedOptionValue("--data", ""));
        for (String in : inputs) {
            assertEquals(outMount.volume().getPersistentVolumeClaim().getClaimName(),
                    K8sManifests.mountOf(spec, c, in).volume().getPersistentVolumeClaim().getClaimName(),
                    in + " is on the shared volume");
        }
        assertVolumesExist(spec, "scan");

        // The merge lists every shard's folder, as the scan job names them, and reopens the shards' model and data.
        Job merge = manifests.named(Job.class, "ncguard-scan-merge");
        PodSpec mergeSpec = merge.getSpec().getTemplate().getSpec();
        Container m = mergeSpec.getContainers().get(0);
        for (String in : inputs) {
            assertEquals(K8sManifests.mountOf(spec, c, in).mount().getSubPath(),
                    K8sManifests.mountOf(mergeSpec, m, in).mount().getSubPath(), in + " is where the shards read it");
        }
        List<String> expected = new ArrayList<>(List.of("scan", "merge"));
        for (int k = 0; k < shards; k++) {
            expected.add(out.replace("$(JOB_COMPLETION_INDEX)", String.valueOf(k)));
        }
        assertEquals(expected, m.getArgs().subList(0, expected.size()));
        assertEquals(outMount.mount().getSubPath(), K8sManifests.mountOf(mergeSpec, m, expected.get(2)).mount()
                .getSubPath(), "the merge reads the folders the shards wrote");
        assertVolumesExist(mergeSpec, "scan merge");
    }
}
