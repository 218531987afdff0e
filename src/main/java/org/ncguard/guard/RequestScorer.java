package org.ncguard.guard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ncguard.avro.GuardAlert;
import org.ncguard.avro.GuardVerdict;
import org.ncguard.avro.InferenceRequest;
import org.ncguard.avro.NeuronActivation;
import org.ncguard.guard.score.ModelRunner;
import org.ncguard.guard.score.PixelTable;
import org.ncguard.guard.score.ScoringWorker;
import org.ncguard.profile.GuardProfile;
import org.ncguard.profile.LabelProfile;

/**
 * One decoded request to a decision: the served model it names, ONNX Runtime's prediction and penultimate activations
 * (or the activations it carries), the profile in force and the policy. The live guard and the replay of retained
 * traffic both score through this class, so a replay decides exactly as the guard would have.
 *
 * <p>One per thread (stream task or replay): it keeps one {@link ScoringWorker} with reused buffers per model.
 */
public final class RequestScorer implements AutoCloseable {

    /** Neurons listed in an alert, at most. */
    public static final int ALERT_NEURONS = 10;

    private final GuardEngine engine;
    private final GuardPolicy policy;
    private final Map<String, ScoringWorker> workers = new HashMap<>();
    private final Map<String, PixelTable> unitPixels = new HashMap<>();

    public RequestScorer(GuardEngine engine, GuardPolicy policy) {
        if (engine == null || policy == null) {
            throw new IllegalArgumentException("engine and policy are required");
        }
        this.engine = engine;
        this.policy = policy;
    }

    /**
     * Scores {@code request}.
     *
     * @throws MalformedRequestException when the model is not served, the request has no input, or its tensor does
     *                                   not fit the model
     */
    public Scored score(InferenceRequest request) throws MalformedRequestException {
        ModelRunner model = engine.models().get(request.getModelId());
        if (model == null) {
            throw new MalformedRequestException(DlqReason.UNKNOWN_MODEL, "model '" + request.getModelId()
                    + "' is not served here (served: " + engine.models().ids() + ")");
        }
        ScoringWorker worker = workers.computeIfAbsent(model.id(), k -> engine.models().get(k).newWorker());
        ProfileBook.Active active = engine.profiles().forModel(model.sha256());
        Integer predicted = null;
        if (request.getTensor() != null) {
            PixelTable pixels = active != null ? active.pixels()
                    : unitPixels.computeIfAbsent(model.id(), k -> PixelTable.unitRange(
                    engine.models().get(k).shape().channels()));
            predicted = worker.score(request.getTensor(), pixels);
        } else if (request.getActivations() != null) {
            worker.useActivations(request.getActivations());
        } else {
            throw new MalformedRequestException(DlqReason.NO_INPUT, "request " + request.getId()
                    + " has neither a tensor nor activations");
        }
        float[] activations = worker.activations();
        Optional<GuardProfile.Suspicion> suspicion = active == null || active.profile().clean()
                ? Optional.empty() : active.profile().mostSuspicious(activations);
        return new Scored(model, active, predicted, activations, policy.decide(suspicion));
    }

    @Override
    public void close() {
        workers.values().forEach(ScoringWorker::close);
        workers.clear();
    }

    /**
     * What the scorer found for one request.
     *
     * @param model       the served model
     * @param active      the profile in force, or null
     * @param predicted   the predicted label; null when only activations came
     * @param activations the penultimate activations: the worker's buffer, valid until its next request
     * @param decision    the policy's decision
     */
    public record Scored(ModelRunner model, ProfileBook.Active active, Integer predicted, float[] activations,
                         GuardPolicy.Decision decision) {

        public Scored {
            if (model == null || activations == null || decision == null) {
                throw new IllegalArgumentException("model, activations and decision are required");
            }
            if (decision.suspicious() && active == null) {
                throw new IllegalArgumentException("a suspicious decision needs the profile that made it");
            }
        }

        /** The profile's id, or null without a profile. */
        public String profileId() {
            return active == null ? null : active.profile().profileId();
        }

        /** The verdict on request {@code requestId}. */
        public GuardVerdict verdict(String requestId, long latencyMicros, Instant now, boolean replay) {
            return new GuardVerdict(requestId, model.id(), model.sha256(), profileId(), predicted,
                    decision.action().wire(), decision.suspectedLabel(), decision.score(), decision.threshold(),
                    latencyMicros, now, replay);
        }

        /** The suspicious-request alert for {@code verdict}, read from {@code topic}-{@code partition}@{@code offset}. */
        public GuardAlert alert(GuardVerdict verdict, String topic, int partition, long offset) {
            if (!decision.suspicious()) {
                throw new IllegalStateException("request " + verdict.getRequestId() + " is not suspicious");
            }
            LabelProfile label = active.profile().label(decision.suspectedLabel()).orElseThrow();
            return new GuardAlert("suspicious-request", decision.severity(), verdict, excited(label, activations),
                    topic, partition, offset, null);
        }

        /** The label's neurons with the request's activations, most excited first. */
        private static List<NeuronActivation> excited(LabelProfile label, float[] activations) {
            int[] neurons = label.neurons();
            List<NeuronActivation> list = new ArrayList<>(neurons.length);
            for (int n : neurons) {
                list.add(new NeuronActivation(n, activations[n]));
            }
            list.sort((a, b) -> Float.compare(b.getActivation(), a.getActivation()));
            return list.size() > ALERT_NEURONS ? new ArrayList<>(list.subList(0, ALERT_NEURONS)) : list;
        }
    }
}
