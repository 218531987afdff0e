package org.ncguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.util.Map;
import org.ncguard.guard.GuardTopics;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The guard's Deployment in {@code k8s/}, its one container, and that container's args as ncguard's own command line
 * parses them: what the tests compare the other manifests with.
 */
record GuardManifest(K8sManifests manifests, Deployment deployment, PodSpec pod, Container container,
                     ParseResult serve) {

    /** The Deployment's name, which its Service, PDB, autoscaler, NetworkPolicy and KafkaUser share. */
    static final String NAME = "ncguard-guard";

    static GuardManifest load() throws IOException {
        K8sManifests manifests = K8sManifests.load();
        Deployment deployment = manifests.named(Deployment.class, NAME);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertEquals(1, pod.getContainers().size(), "one container in the guard's pod");
        Container container = pod.getContainers().get(0);
        ParseResult serve = new CommandLine(new Main()).parseArgs(container.getArgs().toArray(String[]::new))
                .subcommand();
        return new GuardManifest(manifests, deployment, pod, container, serve);
    }

    /** The value of a {@code serve} option, given or default. */
    <T> T option(String name) {
        return serve.commandSpec().findOption(name).getValue();
    }

    GuardTopics topics() {
        return GuardTopics.forRequests(option("--requests"));
    }

    String applicationId() {
        return option("--application-id");
    }

    /** Whether {@code selector} picks the guard's pods, and no pod without the Deployment's own selector labels. */
    boolean selects(Map<String, String> selector) {
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        return podLabels.entrySet().containsAll(selector.entrySet())
                && selector.entrySet().containsAll(deployment.getSpec().getSelector().getMatchLabels().entrySet());
    }
}
