package org.ncguard.guard;

import java.security.PublicKey;
import java.util.List;
import java.util.Map;

/**
 * Everything the guard's Kafka side needs, validated once.
 *
 * @param topics        the topic names
 * @param mode          drop or flag
 * @param guarantee     exactly-once (default) or at-least-once
 * @param applicationId Kafka Streams' application id (consumer group, transactional ids)
 * @param bootstrap     broker list, HOST:PORT[,...]
 * @param streamThreads Kafka Streams threads
 * @param kafka         extra client and Streams properties (override the guard's defaults)
 * @param registryUrl   an Apicurio Registry's v3 API for the Confluent wire format; null for single-object encoding
 * @param trustedKeys   Ed25519 keys whose signed profiles the guard applies, refusing any other; empty: profiles are
 *                      not verified
 */
public record GuardConfig(GuardTopics topics, GuardMode mode, Guarantee guarantee, String applicationId,
                          String bootstrap, int streamThreads, Map<String, String> kafka, String registryUrl,
                          List<PublicKey> trustedKeys) {

    /** Default Kafka Streams application id. */
    public static final String DEFAULT_APPLICATION_ID = "ncguard-guard";

    public GuardConfig {
        if (topics == null || mode == null || guarantee == null) {
            throw new IllegalArgumentException("topics, mode and guarantee are required");
        }
        if (applicationId == null || applicationId.isBlank()) {
            throw new IllegalArgumentException("application id is required, found '" + applicationId + "'");
        }
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers are required (HOST:PORT), found '" + bootstrap + "'");
        }
        if (streamThreads < 1) {
            throw new IllegalArgumentException("stream threads must be >= 1, found " + streamThreads);
        }
        kafka = Map.copyOf(kafka == null ? Map.of() : kafka);
        if (registryUrl != null && registryUrl.isBlank()) {
            registryUrl = null;
        }
        trustedKeys = List.copyOf(trustedKeys == null ? List.of() : trustedKeys);
    }

    /** Whether the guard applies only profiles signed by a trusted key. */
    public boolean verifiesProfiles() {
        return !trustedKeys.isEmpty();
    }

    /**
     * Drop mode, exactly-once, {@value GuardTopics#DEFAULT_REQUESTS}, one stream thread, no registry, profiles not
     * verified.
     */
    public static GuardConfig defaults(String bootstrap) {
        return new GuardConfig(GuardTopics.forRequests(GuardTopics.DEFAULT_REQUESTS), GuardMode.DROP,
                Guarantee.EXACTLY_ONCE, DEFAULT_APPLICATION_ID, bootstrap, 1, Map.of(), null, List.of());
    }

    public GuardConfig withTopics(GuardTopics t) {
        return new GuardConfig(t, mode, guarantee, applicationId, bootstrap, streamThreads, kafka, registryUrl,
                trustedKeys);
    }

    public GuardConfig withMode(GuardMode m) {
        return new GuardConfig(topics, m, guarantee, applicationId, bootstrap, streamThreads, kafka, registryUrl,
                trustedKeys);
    }

    public GuardConfig withGuarantee(Guarantee g) {
        return new GuardConfig(topics, mode, g, applicationId, bootstrap, streamThreads, kafka, registryUrl,
                trustedKeys);
    }

    public GuardConfig withApplicationId(String id) {
        return new GuardConfig(topics, mode, guarantee, id, bootstrap, streamThreads, kafka, registryUrl, trustedKeys);
    }

    public GuardConfig withStreamThreads(int n) {
        return new GuardConfig(topics, mode, guarantee, applicationId, bootstrap, n, kafka, registryUrl, trustedKeys);
    }

    public GuardConfig withKafka(Map<String, String> k) {
        return new GuardConfig(topics, mode, guarantee, applicationId, bootstrap, streamThreads, k, registryUrl,
                trustedKeys);
    }

    /** The same config applying only profiles signed by one of {@code keys} (empty: not verified). */
    public GuardConfig withTrustedKeys(List<PublicKey> keys) {
        return new GuardConfig(topics, mode, guarantee, applicationId, bootstrap, streamThreads, kafka, registryUrl,
                keys);
    }

    public GuardConfig withRegistryUrl(String url) {
        return new GuardConfig(topics, mode, guarantee, applicationId, bootstrap, streamThreads, kafka, url,
                trustedKeys);
    }
}
