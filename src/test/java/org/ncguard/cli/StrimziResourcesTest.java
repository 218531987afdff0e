package org.ncguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ncguard.guard.GuardTopics;
import org.ncguard.guard.replay.ReplayConfig;
import org.ncguard.guard.replay.ReplayRange;

/**
 * Strimzi's KafkaTopics and KafkaUsers agree with the application: every topic of {@link GuardTopics} and of a default
 * replay has a KafkaTopic (the profiles compacted, the outputs partitioned as the requests), and each user's ACLs are
 * exactly what its program needs: the guard cannot write the profiles, only the publisher can.
 */
class StrimziResourcesTest {

    private static final String PUBLISHER = "ncguard-publisher";
    private static final String REPLAY = "ncguard-replay";

    private static GuardManifest manifest;
    private static K8sManifests manifests;

    @BeforeAll
    static void load() throws IOException {
        manifest = GuardManifest.load();
        manifests = manifest.manifests();
    }

    @Test
    void everyTopicOfTheGuardAndTheReplayHasAKafkaTopic() {
        GuardTopics t = manifest.topics();
        int partitions = manifests.partitions(t.requests());
        for (String output : t.outputs()) {
            assertEquals(partitions, manifests.partitions(output), output + ": the requests topic's partitions");
        }
        Map<String, Object> profilesConfig = K8sManifests.spec(manifests.topic(t.profiles()), "config");
        assertEquals("compact", profilesConfig.get("cleanup.policy"), t.profiles());
        for (String output : t.outputs()) {
            Map<String, Object> config = K8sManifests.spec(manifests.topic(output), "config");
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
        return ReplayConfig.of(manifest.option("--bootstrap"), manifest.option("--requests"), ReplayConfig.DEFAULT_OUT,
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
        GuardTopics t = manifest.topics();
        String app = manifest.applicationId();
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
        expected.addAll(List.of("group:literal:" + app + ":Read", "group:literal:" + app + ":Describe",
                "transactionalId:prefix:" + app + "-:Write", "transactionalId:prefix:" + app + "-:Describe"));
        StrimziAcls guardUser = user(GuardManifest.NAME);
        assertEquals(expected, guardUser.lines());

        assertFalse(guardUser.allows("topic", t.profiles(), "Write"), "a guard cannot change the profiles");
        assertFalse(guardUser.allows("topic", t.requests(), "Write"), "a guard cannot forge requests");
        assertFalse(guardUser.allows("topic", app + "-profile-store-changelog", "Create"), "no internal topics");
        assertTrue(guardUser.allows("transactionalId", app + "-7f3c-0", "Write"), "exactly-once producers");
    }

    @Test
    void onlyThePublisherWritesProfiles() {
        String profiles = manifest.topics().profiles();
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
        GuardTopics live = manifest.topics();
        List<String> liveTopics = new ArrayList<>(live.outputs());
        liveTopics.addAll(List.of(live.requests(), live.profiles()));
        for (String topic : liveTopics) {
            assertFalse(r.allows("topic", topic, "Write"), "the replay never writes " + topic);
        }
        assertFalse(r.allows("group", manifest.applicationId(), "Read"), "the replay never joins the guard's group");
    }
}
