package org.ncguard.guard;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.ncguard.NcguardException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the guard's topics that do not exist yet, with the requests topic's partition count (the profiles topic:
 * one partition, compacted), and leaves existing ones as they are.
 */
public final class TopicSetup {

    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

    private TopicSetup() {
    }

    /**
     * Ensures every topic exists. A missing requests topic is created with one partition.
     *
     * @return the smallest {@code max.message.bytes} of the clean and quarantine topics
     *
     * @param admin the properties of an admin client (bootstrap and security settings)
     * @throws NcguardException when the brokers cannot be reached
     */
    public static int ensure(Properties admin, GuardTopics topics) throws NcguardException {
        try (Admin client = Admin.create(admin)) {
            Set<String> existing = client.listTopics().names().get(30, TimeUnit.SECONDS);
            int partitions = 1;
            boolean requestsCreated = false;
            if (existing.contains(topics.requests())) {
                TopicDescription d = client.describeTopics(List.of(topics.requests())).allTopicNames()
                        .get(30, TimeUnit.SECONDS).get(topics.requests());
                partitions = d.partitions().size();
            } else {
                create(client, new NewTopic(topics.requests(), Optional.of(1), Optional.empty()));
                requestsCreated = true;
            }
            List<NewTopic> missing = new ArrayList<>();
            for (String t : topics.outputs()) {
                if (!existing.contains(t)) {
                    missing.add(new NewTopic(t, Optional.of(partitions), Optional.empty()));
                }
            }
            if (!existing.contains(topics.profiles())) {
                missing.add(new NewTopic(topics.profiles(), Optional.of(1), Optional.empty())
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
            }
            for (NewTopic t : missing) {
                create(client, t);
            }
            List<String> created = new ArrayList<>(missing.stream().map(NewTopic::name).toList());
            if (requestsCreated) {
                created.add(topics.requests());
            }
            awaitLeaders(client, created);
            return maxMessageBytes(client, List.of(topics.clean(), topics.quarantine()));
        } catch (TimeoutException e) {
            throw new NcguardException("no Kafka broker answered at " + admin.get("bootstrap.servers")
                    + " within 30 s; start one (ncguard broker), or fix --bootstrap or the security settings of "
                    + "--config");
        } catch (ExecutionException | KafkaException e) {
            throw new NcguardException("cannot set up the guard's topics at " + admin.get("bootstrap.servers") + ": "
                    + ClientSettings.explain(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NcguardException("interrupted while setting up topics");
        }
    }

    /**
     * The smallest {@code max.message.bytes} of the clean and quarantine topics, read now.
     *
     * @throws IllegalStateException when the brokers do not answer
     */
    public static int maxMessageBytes(Properties admin, GuardTopics topics) {
        try (Admin client = Admin.create(admin)) {
            return maxMessageBytes(client, List.of(topics.clean(), topics.quarantine()));
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the output topics' max.message.bytes: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading max.message.bytes", e);
        }
    }

    private static int maxMessageBytes(Admin client, List<String> names) throws ExecutionException,
            InterruptedException, TimeoutException {
        List<ConfigResource> resources = names.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        Map<ConfigResource, Config> configs = client.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
        int min = Integer.MAX_VALUE;
        for (Config c : configs.values()) {
            ConfigEntry e = c.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            if (e != null && e.value() != null) {
                min = Math.min(min, Integer.parseInt(e.value()));
            }
        }
        return min;
    }

    /**
     * Waits until every partition of {@code names} has a leader. A topic exists once created, but its partitions
     * take a moment to get leaders: a producer that writes at once is told NOT_LEADER_OR_FOLLOWER, and Kafka Streams,
     * starting its global store on a topic without partitions in the metadata yet, fails (both seen on a loaded
     * machine).
     *
     * @throws TimeoutException when some partition has no leader after 30 s
     */
    public static void awaitLeaders(Admin client, Collection<String> names) throws ExecutionException,
            InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!names.isEmpty()) {
            try {
                Map<String, TopicDescription> d = client.describeTopics(names).allTopicNames()
                        .get(30, TimeUnit.SECONDS);
                if (d.values().stream().allMatch(t -> !t.partitions().isEmpty()
                        && t.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()))) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("topics " + names + " have partitions without a leader after 30 s");
            }
            Thread.sleep(100);
        }
    }

    private static void create(Admin client, NewTopic t) throws ExecutionException, InterruptedException,
            TimeoutException {
        try {
            client.createTopics(List.of(t)).all().get(30, TimeUnit.SECONDS);
            LOG.info("created topic {} ({} partitions)", t.name(), t.numPartitions());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }
}
