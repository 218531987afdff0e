package org.ncguard.guard;

import java.security.PublicKey;
import java.util.List;
import org.ncguard.guard.score.ServedModels;

/**
 * The guard's live parts that a topology runs against: the served models (ONNX Runtime sessions), the profiles in
 * force, and the meters. Made once per application; the topology only refers to them.
 *
 * @param models   served models
 * @param profiles profiles in force
 * @param metrics  meters
 * @param forwardLimit the largest record the clean and quarantine topics take (key, value and headers); a
 *                     request that would be larger with the guard's headers goes to the dead-letter topic
 */
public record GuardEngine(ServedModels models, ProfileBook profiles, GuardMetrics metrics, ForwardLimit forwardLimit) {

    public GuardEngine {
        if (models == null || profiles == null || metrics == null) {
            throw new IllegalArgumentException("models, profiles and metrics are required");
        }
        if (forwardLimit == null) {
            throw new IllegalArgumentException("forwardLimit is required (ForwardLimit.none() for no limit)");
        }
    }

    /** An engine for {@code models}, with no profile yet, fresh Prometheus meters and no record size limit. */
    public static GuardEngine of(ServedModels models) {
        return of(models, List.of());
    }

    /**
     * An engine for {@code models} applying only profiles signed by one of {@code trustedKeys} (empty: profiles are
     * not verified), with fresh Prometheus meters and no record size limit.
     */
    public static GuardEngine of(ServedModels models, List<PublicKey> trustedKeys) {
        GuardMetrics metrics = GuardMetrics.prometheus();
        return new GuardEngine(models, new ProfileBook(models, metrics, trustedKeys), metrics, ForwardLimit.none());
    }

    /** The same engine with a record size limit on forwarded requests. */
    public GuardEngine withForwardLimit(ForwardLimit limit) {
        return new GuardEngine(models, profiles, metrics, limit);
    }
}
