package org.ncguard.guard;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.state.Stores;
import org.ncguard.guard.serde.GuardSerdes;

/**
 * The guard's topology, built by a pure function that starts nothing and reads no environment: {@code serve}, the
 * tests and the demo run the very same one.
 *
 * <pre>
 * requests (bytes) ─► guard ─┬─► &lt;requests&gt;.clean       (key, value, headers unchanged + ncguard-* headers)
 *                            ├─► &lt;requests&gt;.quarantine  (drop mode, suspicious)
 *                            ├─► guard.verdicts         (GuardVerdict, every request)
 *                            ├─► guard.alerts           (GuardAlert, suspicious requests and refused profiles)
 *                            └─✗ guard.dlq              (malformed: DeadLetterHandler, KIP-1034)
 * guard.profiles ─► global store ─► ProfileBook (live profiles)
 * </pre>
 */
public final class GuardTopology {

    /** Node names, also the processor's child names. */
    static final String SOURCE = "requests";
    static final String GUARD = "guard";
    static final String CLEAN = "clean";
    static final String QUARANTINE = "quarantine";
    static final String VERDICTS = "verdicts";
    static final String ALERTS = "alerts";

    /** The global store the profiles topic fills. */
    public static final String PROFILE_STORE = "guard-profiles";

    private GuardTopology() {
    }

    /** What the processor needs to know of the names. */
    record Names(GuardTopics topics, String profileStore) {}

    /**
     * The topology for {@code config}'s topics and mode, writing with {@code serdes}, scoring with {@code engine}.
     */
    public static Topology build(GuardConfig config, GuardSerdes serdes, GuardEngine engine) {
        GuardTopics topics = config.topics();
        Names names = new Names(topics, PROFILE_STORE);
        GuardPolicy policy = new GuardPolicy(config.mode());
        Topology t = new Topology(new TopologyConfig(new StreamsConfig(GuardStreamsConfig.of(config))));
        t.addSource(SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), topics.requests());
        t.addProcessor(GUARD, () -> new GuardProcessor(names, engine, policy, serdes.newRequestReader(),
                serdes.profiles().deserializer()), SOURCE);
        t.addSink(CLEAN, topics.clean(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer(), GUARD);
        t.addSink(QUARANTINE, topics.quarantine(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer(),
                GUARD);
        t.addSink(VERDICTS, topics.verdicts(), serdes.keys().serializer(), serdes.verdicts().serializer(), GUARD);
        t.addSink(ALERTS, topics.alerts(), serdes.keys().serializer(), serdes.alerts().serializer(), GUARD);
        t.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PROFILE_STORE), Serdes.String(),
                        Serdes.ByteArray()).withLoggingDisabled(),
                "profiles", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topics.profiles(),
                "profiles-update", () -> new ProfileUpdater(engine.profiles(), serdes.profiles().deserializer(),
                        PROFILE_STORE));
        return t;
    }
}
