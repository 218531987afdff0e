package org.ncguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every manifest in {@code k8s/} is a resource Kubernetes (or Strimzi's v1 schema) knows, field by field, is listed in
 * the kustomization (the one-off jobs aside) and names the project's own image version.
 */
class KubernetesManifestsTest {

    // The spec fields of Strimzi's v1 schemas (StrimziAcls checks the ACL rules).
    private static final Map<String, Set<String>> STRIMZI_SPEC_FIELDS = Map.of(
            "KafkaTopic", Set.of("topicName", "partitions", "replicas", "config"),
            "KafkaUser", Set.of("userName", "authentication", "authorization", "quotas", "template"));

    private static K8sManifests manifests;

    @BeforeAll
    static void load() throws IOException {
        manifests = K8sManifests.load();
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
    void imagesAreTheProjectsVersion() throws Exception {
        String version = XPathFactory.newInstance().newXPath().evaluate("/*[local-name()='project']"
                + "/*[local-name()='version']", DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Path.of("pom.xml").toFile())).trim();
        assertFalse(version.isEmpty(), "the project's version in pom.xml");
        assertEquals("ncguard/guard:" + version, GuardManifest.load().container().getImage());
        for (Job job : manifests.all(Job.class)) {
            for (Container c : job.getSpec().getTemplate().getSpec().getContainers()) {
                assertEquals("ncguard/ncguard:" + version, c.getImage(), job.getMetadata().getName());
            }
        }
    }
}
