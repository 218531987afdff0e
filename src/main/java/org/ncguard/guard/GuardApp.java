package org.ncguard.guard;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.ncguard.NcguardException;
import org.ncguard.guard.score.ServedModels;
import org.ncguard.guard.serde.GuardSerdes;
import org.ncguard.profile.GuardProfile;
import org.ncguard.profile.ProfileJson;
import org.ncguard.profile.ProfileSignatures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running guard: the topology of {@link GuardTopology} in Kafka Streams, with its models, profiles and meters.
 * {@link #start} sets up the topics and starts; {@link #close} stops Kafka Streams and frees the models' native
 * memory.
 *
 * <pre>
 * try (GuardApp guard = GuardApp.start(GuardConfig.defaults("localhost:9092"),
 *         Map.of("mnist", Path.of("mnist.onnx")), List.of(Path.of("profile.json")), 2)) {
 *     guard.awaitRunning(Duration.ofSeconds(60));
 *     ...
 * }
 * </pre>
 */
public final class GuardApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GuardApp.class);

    /** Refusals whose message already says what to do. */
    private static final java.util.Set<String> SIGNATURE_REASONS = java.util.Set.of(
            ProfileSignatures.Check.UNSIGNED.reason(), ProfileSignatures.Check.UNKNOWN_KEY.reason(),
            ProfileSignatures.Check.BAD_SIGNATURE.reason());

    private final GuardConfig config;
    private final GuardEngine engine;
    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private volatile boolean closed;

    private GuardApp(GuardConfig config, GuardEngine engine, KafkaStreams streams, KafkaStreamsMetrics metrics) {
        this.config = config;
        this.engine = engine;
        this.streams = streams;
        this.streamsMetrics = metrics;
    }

    /**
     * Loads the model and profile files and starts the guard.
     *
     * @param models     model id to ONNX file
     * @param profiles   profile files (profile.json); each must belong to a served model
     * @param ortThreads ONNX Runtime's intra-op threads per model
     * @throws NcguardException when a file is missing or invalid, a profile fits no model or is not signed by a key
     *                          of {@link GuardConfig#trustedKeys()}, or the brokers are not there
     */
    public static GuardApp start(GuardConfig config, Map<String, Path> models, List<Path> profiles, int ortThreads)
            throws NcguardException {
        List<GuardProfile> read = new ArrayList<>();
        for (Path p : profiles) {
            read.add(ProfileJson.read(p));
        }
        ServedModels served = ServedModels.load(models, ortThreads);
        try {
            return start(config, served, read);
        } catch (NcguardException | RuntimeException e) {
            served.close();
            throw e;
        }
    }

    /**
     * Starts the guard on models already loaded; the app owns them from now on and closes them.
     *
     * @throws NcguardException when a profile fits no model or is not signed by a key of
     *                          {@link GuardConfig#trustedKeys()}, or the brokers are not there
     */
    public static GuardApp start(GuardConfig config, ServedModels models, List<GuardProfile> profiles)
            throws NcguardException {
        try {
            return startOwning(config, models, profiles);
        } catch (NcguardException | RuntimeException e) {
            models.close();
            throw e;
        }
    }

    private static GuardApp startOwning(GuardConfig config, ServedModels models, List<GuardProfile> profiles)
            throws NcguardException {
        try {
            new StreamsConfig(GuardStreamsConfig.of(config)); // a setting Kafka rejects fails here, before anything
        } catch (ConfigException e) {
            throw new NcguardException("Kafka rejected a guard setting: " + ClientSettings.explain(e), e);
        }
        GuardEngine engine = GuardEngine.of(models, config.trustedKeys());
        for (GuardProfile p : profiles) {
            ProfileBook.Outcome outcome = engine.profiles().offer(p, ProfileOrigin.file(p.profileId()), true);
            if (outcome == ProfileBook.Outcome.REFUSED) {
                ProfileBook.Refusal r = engine.profiles().pollRefusal();
                String fix = r != null && SIGNATURE_REASONS.contains(r.reason()) ? ""
                        : "; give the profile built for the served model file";
                throw new NcguardException((r == null ? "profile " + p.profileId() + " refused" : r.message()) + fix);
            }
        }
        if (config.verifiesProfiles()) {
            LOG.info("profiles are verified: only those signed by key {} are applied", String.join(", ",
                    config.trustedKeys().stream().map(ProfileSignatures::keyId).toList()));
        } else {
            LOG.warn("profiles are not verified: anyone who can write to {} can change or switch off the guard "
                    + "(serve --trust-key PUB requires signed profiles)", config.topics().profiles());
        }
        GuardSerdes serdes = config.registryUrl() == null ? GuardSerdes.singleObject()
                : GuardSerdes.registry(config.registryUrl(), config.kafka());
        Properties props = GuardStreamsConfig.of(config);
        Properties admin = ClientSettings.of(config.bootstrap(), config.kafka());
        int producerLimit = producerLimit(props);
        int topicLimit = TopicSetup.ensure(admin, config.topics());
        engine = engine.withForwardLimit(new ForwardLimit(Math.min(topicLimit, producerLimit),
                () -> Math.min(TopicSetup.maxMessageBytes(admin, config.topics()), producerLimit)));
        props.put(ForwardLimit.CONFIG, engine.forwardLimit());
        KafkaStreams streams = new KafkaStreams(GuardTopology.build(config, serdes, engine), props);
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> LOG.info("guard {} -> {}", before, now));
        KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams);
        metrics.bindTo(engine.metrics().registry());
        streams.start();
        LOG.info("guard started: {} -> {} / {}, mode {}, {}, models {}", config.topics().requests(),
                config.topics().clean(), config.topics().quarantine(), config.mode(), config.guarantee(),
                models.ids());
        return new GuardApp(config, engine, streams, metrics);
    }

    /** The producer's max.request.size as Kafka Streams will use it (1 MiB unless configured). */
    private static int producerLimit(Properties props) {
        Object v = props.getOrDefault("producer." + ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                props.getOrDefault(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1024 * 1024));
        return Integer.parseInt(v.toString().trim());
    }

    /** Waits until Kafka Streams is running. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (streams.state() == KafkaStreams.State.RUNNING) {
                return true;
            }
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                return false;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** Kafka Streams' state. */
    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Alive: not closed and Kafka Streams not failed. */
    public boolean alive() {
        return !closed && streams.state() != KafkaStreams.State.ERROR
                && streams.state() != KafkaStreams.State.NOT_RUNNING;
    }

    /** Ready: running and serving at least one model. */
    public boolean ready() {
        return !closed && streams.state() == KafkaStreams.State.RUNNING && !engine.models().isEmpty();
    }

    public GuardConfig config() {
        return config;
    }

    public GuardEngine engine() {
        return engine;
    }

    /** Prometheus text of every meter: the guard's and Kafka Streams'. */
    public String scrape() {
        return engine.metrics().registry() instanceof PrometheusMeterRegistry p ? p.scrape() : "";
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            // Leave the group: a guard restarted with the same application id gets its partitions at once instead of
            // after the session timeout.
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
            streamsMetrics.close();
            engine.models().close();
        }
    }
}
