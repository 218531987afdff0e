package org.ncguard.guard;

import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serdes;
import org.ncguard.NcguardException;
import org.ncguard.guard.serde.GuardSerdes;
import org.ncguard.profile.GuardProfile;
import org.ncguard.profile.ProfileAvro;

/**
 * Writes a profile to the profiles topic, keyed by its {@code modelSha256}: the topic is compacted, so it keeps the
 * latest profile of each model file, and every guard serving that file picks it up from the next request.
 */
public final class ProfilePublisher {

    private ProfilePublisher() {
    }

    /**
     * Publishes {@code profile} and waits for the broker's acknowledgement.
     *
     * @param producer producer properties: bootstrap servers and any security settings
     * @param topic    the profiles topic
     * @throws NcguardException when the broker does not take it
     */
    public static RecordMetadata publish(Properties producer, String topic, GuardProfile profile, GuardSerdes serdes)
            throws NcguardException {
        Properties p = new Properties();
        p.putAll(producer);
        p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        try (KafkaProducer<String, org.ncguard.avro.GuardProfile> out = new KafkaProducer<>(p,
                Serdes.String().serializer(), serdes.profiles().serializer())) {
            return out.send(new ProducerRecord<>(topic, profile.modelSha256(), ProfileAvro.toAvro(profile)))
                    .get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            boolean unanswered = cause instanceof TimeoutException
                    || cause instanceof org.apache.kafka.common.errors.TimeoutException;
            throw new NcguardException("cannot publish profile " + profile.profileId() + " to " + topic + " at "
                    + producer.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG) + ": " + ClientSettings.explain(cause)
                    + (unanswered ? " (is a broker running there? start one with 'ncguard broker')" : ""), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NcguardException("interrupted while publishing profile " + profile.profileId());
        }
    }
}
