package org.ncguard.guard;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.ncguard.profile.GuardProfile;
import org.ncguard.profile.ProfileAvro;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the profiles topic (a global store: every instance sees every profile) and offers each profile to the
 * {@link ProfileBook}, so that it applies from the next request, with no restart.
 */
final class ProfileUpdater implements Processor<String, byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(ProfileUpdater.class);

    private final ProfileBook book;
    private final Deserializer<org.ncguard.avro.GuardProfile> deserializer;
    private final String storeName;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, byte[]> store;

    ProfileUpdater(ProfileBook book, Deserializer<org.ncguard.avro.GuardProfile> deserializer, String storeName) {
        this.book = book;
        this.deserializer = deserializer;
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        RecordMetadata m = context.recordMetadata().orElse(null);
        ProfileOrigin origin = m == null ? new ProfileOrigin("profiles", -1, -1)
                : new ProfileOrigin(m.topic(), m.partition(), m.offset());
        if (record.key() != null) {
            store.put(record.key(), record.value());
        }
        if (record.value() == null) {
            LOG.info("profile tombstone for {} at {}: the profile in force stays", record.key(), origin);
            return;
        }
        offer(book, deserializer, origin, record.value(), true);
    }

    /** Decodes a profile record and offers it; anything unreadable is refused. */
    static ProfileBook.Outcome offer(ProfileBook book, Deserializer<org.ncguard.avro.GuardProfile> deserializer,
                                     ProfileOrigin origin, byte[] value, boolean announce) {
        GuardProfile profile;
        try {
            org.ncguard.avro.GuardProfile avro = deserializer.deserialize(origin.topic(), value);
            profile = ProfileAvro.fromAvro(avro);
        } catch (Exception e) {
            LOG.warn("profile record {} refused: {}", origin, e.getMessage());
            book.refuseUnreadable(origin, String.valueOf(e.getMessage()), announce);
            return ProfileBook.Outcome.REFUSED;
        }
        ProfileBook.Outcome outcome = book.offer(profile, origin, announce);
        LOG.info("profile {} for model {} from {}: {}", profile.profileId(), profile.modelSha256(), origin, outcome);
        return outcome;
    }
}
