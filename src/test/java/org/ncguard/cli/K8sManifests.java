package org.ncguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The {@code k8s/} folder parsed into fabric8's Kubernetes model: every resource of every manifest, with the file it
 * came from; Strimzi's resources as {@link GenericKubernetesResource}.
 */
final class K8sManifests {

    static final Path DIR = Path.of("k8s");
    // Made outside k8s/ by whoever deploys (k8s/README.md); the Secrets come from Strimzi.
    private static final Set<String> CONFIG_MAPS_MADE_ELSEWHERE = Set.of("ncguard-trust-keys");

    /** One resource and the file that holds it. */
    record Entry(Path file, HasMetadata resource) {
    }

    private final List<Entry> entries;

    private K8sManifests(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Every resource in every {@code *.yaml} of {@code k8s/} but the kustomization. */
    static K8sManifests load() throws IOException {
        KubernetesSerialization yaml = new KubernetesSerialization();
        List<Entry> out = new ArrayList<>();
        for (Path f : manifestFiles()) {
            try (InputStream in = Files.newInputStream(f)) {
                Object parsed = yaml.unmarshal(in);
                List<?> docs = parsed instanceof List<?> l ? l : List.of(parsed);
                for (Object d : docs) {
                    assertTrue(d instanceof HasMetadata, f + ": a document that is not a Kubernetes resource: " + d);
                    out.add(new Entry(f, (HasMetadata) d));
                }
            }
        }
        return new K8sManifests(out);
    }

    static List<Path> manifestFiles() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(f -> f.toString().endsWith(".yaml"))
                    .filter(f -> !f.getFileName().toString().equals("kustomization.yaml")).sorted().toList();
        }
    }

    List<Entry> entries() {
        return entries;
    }

    /** The resources of one kind. */
    <T extends HasMetadata> List<T> all(Class<T> type) {
        return entries.stream().map(Entry::resource).filter(type::isInstance).map(type::cast).toList();
    }

    /** The one resource of {@code type} named {@code name}. */
    <T extends HasMetadata> T named(Class<T> type, String name) {
        List<T> found = all(type).stream().filter(r -> r.getMetadata().getName().equals(name)).toList();
        assertEquals(1, found.size(), "one " + type.getSimpleName() + " named " + name + ", found " + found.size());
        return found.get(0);
    }

    /** Strimzi's resources of {@code kind} (KafkaTopic, KafkaUser). */
    List<GenericKubernetesResource> custom(String kind) {
        return all(GenericKubernetesResource.class).stream().filter(r -> r.getKind().equals(kind)).toList();
    }

    /** Whether a resource of {@code kind} named {@code name} is in the manifests. */
    boolean defines(String kind, String name) {
        return entries.stream().map(Entry::resource)
                .anyMatch(r -> r.getKind().equals(kind) && r.getMetadata().getName().equals(name));
    }

    /** The port number {@code port} (a number or a container port's name) stands for in {@code container}. */
    static int portNumber(Container container, IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return container.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName()))
                .map(ContainerPort::getContainerPort).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + port.getStrVal()));
    }

    /** The volume mounted at the deepest mount path that holds {@code path}, and the mount. */
    record Mounted(VolumeMount mount, Volume volume, String relative) {
    }

    /** Where {@code file} comes from in {@code pod}'s {@code container}; fails when no mount holds it. */
    static Mounted mountOf(PodSpec pod, Container container, String file) {
        VolumeMount best = null;
        for (VolumeMount m : container.getVolumeMounts()) {
            String dir = m.getMountPath().endsWith("/") ? m.getMountPath() : m.getMountPath() + "/";
            if (file.startsWith(dir) && (best == null || m.getMountPath().length() > best.getMountPath().length())) {
                best = m;
            }
        }
        assertNotNull(best, file + " is on no volume mounted in container " + container.getName());
        String name = best.getName();
        Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name + " for mount " + name));
        String base = best.getMountPath().endsWith("/") ? best.getMountPath() : best.getMountPath() + "/";
        return new Mounted(best, volume, file.substring(base.length()));
    }

    /** The Strimzi cluster that every KafkaTopic and KafkaUser names in its {@code strimzi.io/cluster} label. */
    String kafkaCluster() {
        Set<String> clusters = new HashSet<>(); // a missing label counts as null
        for (String kind : List.of("KafkaTopic", "KafkaUser")) {
            custom(kind).forEach(r -> clusters.add(r.getMetadata().getLabels().get("strimzi.io/cluster")));
        }
        assertEquals(1, clusters.size(), "one Kafka cluster: " + clusters);
        return clusters.iterator().next();
    }

    /** The one KafkaTopic of Kafka topic {@code name}. */
    GenericKubernetesResource topic(String name) {
        List<GenericKubernetesResource> found = custom("KafkaTopic").stream()
                .filter(t -> name.equals(spec(t, "topicName"))).toList();
        assertEquals(1, found.size(), "one KafkaTopic with topicName " + name);
        return found.get(0);
    }

    int partitions(String topic) {
        return ((Number) spec(topic(topic), "partitions")).intValue();
    }

    /** Every ConfigMap, Secret and claim {@code pod} mounts is in k8s/ or made by Strimzi or whoever deploys. */
    void assertVolumesExist(PodSpec pod, String what) {
        Set<String> strimziSecrets = new TreeSet<>();
        custom("KafkaUser").forEach(u -> strimziSecrets.add(u.getMetadata().getName()));
        strimziSecrets.add(kafkaCluster() + "-cluster-ca-cert");
        for (Volume v : pod.getVolumes()) {
            if (v.getConfigMap() != null) {
                String n = v.getConfigMap().getName();
                assertTrue(defines("ConfigMap", n) || CONFIG_MAPS_MADE_ELSEWHERE.contains(n), what + ": " + n);
            } else if (v.getSecret() != null) {
                assertTrue(strimziSecrets.contains(v.getSecret().getSecretName()), what + ": "
                        + v.getSecret().getSecretName());
            } else if (v.getPersistentVolumeClaim() != null) {
                String n = v.getPersistentVolumeClaim().getClaimName();
                assertTrue(defines("PersistentVolumeClaim", n), what + ": " + n);
            } else {
                assertNotNull(v.getEmptyDir(), what + ": volume " + v.getName() + " of an unexpected kind");
            }
        }
    }

    /** {@code spec} of a Strimzi resource, or the part at {@code path} below it. */
    @SuppressWarnings("unchecked")
    static <T> T spec(GenericKubernetesResource r, String... path) {
        Object at = r.getAdditionalProperties().get("spec");
        for (String p : path) {
            at = at == null ? null : ((Map<String, Object>) at).get(p);
        }
        return (T) at;
    }
}
