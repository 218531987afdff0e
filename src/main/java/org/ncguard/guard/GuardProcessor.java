package org.ncguard.guard;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.ncguard.avro.GuardAlert;
import org.ncguard.avro.GuardVerdict;
import org.ncguard.avro.InferenceRequest;
import org.ncguard.guard.score.ModelRunner;
import org.ncguard.guard.serde.RequestReader;

/**
 * Scores each request and forwards it, key, value and headers unchanged plus the guard's headers, to the clean or
 * quarantine sink; a verdict for every request and an alert for every suspicious one. A request that cannot be scored
 * throws {@link MalformedRequestException} before anything is forwarded, so it ends in the dead-letter topic only.
 */
final class GuardProcessor implements Processor<byte[], byte[], Object, Object> {

    /** Neurons listed in an alert, at most. */
    static final int ALERT_NEURONS = RequestScorer.ALERT_NEURONS;

    private final GuardTopology.Names names;
    private final GuardEngine engine;
    private final GuardPolicy policy;
    private final RequestReader reader;
    private final Deserializer<org.ncguard.avro.GuardProfile> profileDeserializer;
    private final RequestScorer scorer;
    private final Map<String, ModelMeters> meters = new HashMap<>();
    private ProcessorContext<Object, Object> context;

    GuardProcessor(GuardTopology.Names names, GuardEngine engine, GuardPolicy policy, RequestReader reader,
                   Deserializer<org.ncguard.avro.GuardProfile> profileDeserializer) {
        this.names = names;
        this.engine = engine;
        this.policy = policy;
        this.reader = reader;
        this.profileDeserializer = profileDeserializer;
        this.scorer = new RequestScorer(engine, policy);
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        rereadProfiles();
        context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, t -> raiseRefusalAlerts());
    }

    /** Profiles restored into the global store before this task started: apply them (idempotent). */
    private void rereadProfiles() {
        KeyValueStore<String, byte[]> store = context.getStateStore(names.profileStore());
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                if (kv.value != null) {
                    ProfileUpdater.offer(engine.profiles(), profileDeserializer,
                            new ProfileOrigin(names.topics().profiles(), -1, -1), kv.value, false);
                }
            }
        }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        raiseRefusalAlerts();
        long start = System.nanoTime();
        RecordMetadata meta = context.recordMetadata().orElse(null);
        String topic = meta == null ? names.topics().requests() : meta.topic();
        InferenceRequest request;
        RequestScorer.Scored scored;
        try {
            request = reader.read(topic, record.value());
            scored = scorer.score(request);
        } catch (MalformedRequestException e) {
            engine.metrics().deadLetter(e.reason());
            throw e;
        }
        ModelRunner model = scored.model();
        GuardPolicy.Decision decision = scored.decision();
        Integer predicted = scored.predicted();
        long micros = (System.nanoTime() - start) / 1000;
        String profileId = scored.profileId();

        Headers headers = record.headers();
        set(headers, GuardHeaders.ACTION, decision.action().wire());
        set(headers, GuardHeaders.LABEL, predicted == null ? GuardHeaders.NONE : predicted.toString());
        set(headers, GuardHeaders.SUSPECT, decision.suspicious() ? decision.suspectedLabel().toString()
                : GuardHeaders.NONE);
        set(headers, GuardHeaders.SCORE, decision.score() == null ? GuardHeaders.NONE : decision.score().toString());
        set(headers, GuardHeaders.PROFILE, profileId == null ? GuardHeaders.NONE : profileId);
        int size = ForwardLimit.size(record.key(), record.value(), record.headers());
        int limit = engine.forwardLimit().bytes();
        if (size > limit) {
            for (String h : new String[] {GuardHeaders.ACTION, GuardHeaders.LABEL, GuardHeaders.SUSPECT,
                    GuardHeaders.SCORE, GuardHeaders.PROFILE}) {
                headers.remove(h); // the dead-letter record keeps the request's own headers only
            }
            engine.metrics().deadLetter(DlqReason.OUTPUT_REJECTED);
            throw new MalformedRequestException(DlqReason.OUTPUT_REJECTED, "with the guard's headers the request "
                    + "is " + size + " bytes, more than the " + limit + " its output topic takes");
        }
        context.forward(record, decision.action() == Action.DROP ? GuardTopology.QUARANTINE : GuardTopology.CLEAN);

        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        GuardVerdict verdict = scored.verdict(request.getId(), micros, now, false);
        context.forward(new Record<>(request.getId(), verdict, record.timestamp()), GuardTopology.VERDICTS);
        if (decision.suspicious()) {
            GuardAlert alert = scored.alert(verdict, topic, meta == null ? -1 : meta.partition(),
                    meta == null ? -1L : meta.offset());
            context.forward(new Record<>(request.getId(), alert, record.timestamp()), GuardTopology.ALERTS);
        }
        ModelMeters m = meters.computeIfAbsent(model.id(), ModelMeters::new);
        m.requests.increment();
        m.action(decision.action(), predicted).increment();
        m.latency.record(micros, java.util.concurrent.TimeUnit.MICROSECONDS);
    }

    private static void set(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** One model's meters, looked up once per task instead of once per request. */
    private final class ModelMeters {
        final io.micrometer.core.instrument.Counter requests;
        final io.micrometer.core.instrument.Timer latency;
        final io.micrometer.core.instrument.Counter[][] actions;
        final String model;

        ModelMeters(String model) {
            this.model = model;
            this.requests = engine.metrics().requests(model);
            this.latency = engine.metrics().latency(model);
            this.actions = new io.micrometer.core.instrument.Counter[Action.values().length]
                    [engine.models().get(model).labels() + 1];
        }

        /** The counter of {@code action} for predicted label {@code label} (null: activations only). */
        io.micrometer.core.instrument.Counter action(Action action, Integer label) {
            int column = label == null ? 0 : label + 1;
            io.micrometer.core.instrument.Counter c = actions[action.ordinal()][column];
            if (c == null) {
                c = engine.metrics().action(model, action, label == null ? GuardHeaders.NONE : label.toString());
                actions[action.ordinal()][column] = c;
            }
            return c;
        }
    }

    /** Alerts for profiles refused since the last call (by any task of this instance). */
    private void raiseRefusalAlerts() {
        ProfileBook.Refusal r;
        while ((r = engine.profiles().pollRefusal()) != null) {
            GuardAlert alert = new GuardAlert("profile-refused", "warning", null, List.of(), r.origin().topic(),
                    r.origin().partition(), r.origin().offset(), r.message());
            String key = r.modelSha256() != null ? r.modelSha256() : r.origin().toString();
            context.forward(new Record<>(key, alert, context.currentSystemTimeMs()), GuardTopology.ALERTS);
        }
    }

    @Override
    public void close() {
        scorer.close();
    }
}
