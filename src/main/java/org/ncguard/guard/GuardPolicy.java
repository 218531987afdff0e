package org.ncguard.guard;

import java.util.Optional;
import org.ncguard.profile.GuardProfile;

/**
 * Score and threshold to action: the whole decision, with nothing of Kafka in it.
 *
 * <p>A request is suspicious when its most suspicious profile label scores above that label's threshold; drop mode
 * quarantines it, flag mode marks it. A model without a profile, or with a clean one, passes everything.
 */
public final class GuardPolicy {

    /** A suspicious score this many clean standard deviations above its threshold raises a high-severity alert. */
    public static final double HIGH_SEVERITY_MARGIN = 3.0;

    private final GuardMode mode;

    public GuardPolicy(GuardMode mode) {
        if (mode == null) {
            throw new IllegalArgumentException("mode is required");
        }
        this.mode = mode;
    }

    public GuardMode mode() {
        return mode;
    }

    /**
     * The decision for a request whose most suspicious label is {@code suspicion} (empty without a profile or with a
     * clean one).
     */
    public Decision decide(Optional<GuardProfile.Suspicion> suspicion) {
        if (suspicion.isEmpty()) {
            return Decision.UNJUDGED;
        }
        GuardProfile.Suspicion s = suspicion.get();
        boolean suspicious = s.suspicious();
        Action action = !suspicious ? Action.PASS : mode == GuardMode.DROP ? Action.DROP : Action.FLAG;
        return new Decision(action, suspicious ? s.label().label() : null, s.score(), s.label().threshold(),
                s.margin());
    }

    /**
     * What to do with one request.
     *
     * @param action         pass, flag or drop
     * @param suspectedLabel the label whose threshold was crossed; null when none was
     * @param score          the most suspicious label's score; null when nothing was scored
     * @param threshold      that label's threshold; null when nothing was scored
     * @param margin         (score - threshold) in clean standard deviations; NaN when nothing was scored
     */
    public record Decision(Action action, Integer suspectedLabel, Double score, Double threshold, double margin) {

        /** Passed without being scored: no profile, or a clean one. */
        public static final Decision UNJUDGED = new Decision(Action.PASS, null, null, null, Double.NaN);

        public Decision {
            if (action == null) {
                throw new IllegalArgumentException("action is required");
            }
            if ((action == Action.PASS) != (suspectedLabel == null)) {
                throw new IllegalArgumentException("a suspected label goes with flag or drop only, found " + action
                        + " and " + suspectedLabel);
            }
        }

        /** Whether the request crossed a threshold. */
        public boolean suspicious() {
            return suspectedLabel != null;
        }

        /** {@code high} or {@code medium} for a suspicious request. */
        public String severity() {
            return margin >= HIGH_SEVERITY_MARGIN ? "high" : "medium";
        }
    }
}
