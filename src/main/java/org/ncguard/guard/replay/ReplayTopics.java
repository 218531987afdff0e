package org.ncguard.guard.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.ncguard.NcguardException;
import org.ncguard.guard.ClientSettings;
import org.ncguard.guard.TopicSetup;

/** The replay's topics: the requests topic must exist; the outputs are created, with its partition count, if missing. */
final class ReplayTopics {

    private ReplayTopics() {
    }

    /** Checks the requests topic and creates missing outputs; returns the requests topic's partition count. */
    static int ensure(Properties common, ReplayConfig config) throws NcguardException {
        try (Admin admin = Admin.create(common)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            if (!existing.contains(config.requests())) {
                throw new NcguardException("requests topic " + config.requests() + " does not exist at "
                        + config.bootstrap() + "; give the topic the guard reads with --requests");
            }
            int partitions = admin.describeTopics(List.of(config.requests())).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(config.requests()).partitions().size();
            List<NewTopic> missing = new ArrayList<>();
            for (String t : List.of(config.out(), config.alerts())) {
                if (!existing.contains(t)) {
                    missing.add(new NewTopic(t, Optional.of(partitions), Optional.empty()));
                }
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
                TopicSetup.awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
            }
            return partitions;
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            throw new NcguardException("cannot reach Kafka at " + config.bootstrap() + ": " + ClientSettings.explain(e)
                    + " (check --bootstrap and --config)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NcguardException("interrupted while checking the topics at " + config.bootstrap(), e);
        }
    }
}
