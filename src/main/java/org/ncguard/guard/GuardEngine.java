package org.ncguard.guard;

import org.ncguard.guard.score.ServedModels;

/**
 * The guard's live parts that a topology runs against: the served models (ONNX Runtime sessions), the profiles in
 * force, and the meters. Made once per application; the topology only refers to them.
 *
 * @param models   served models
 * @param profiles profiles in force
 * @param metrics  meters
 */
public record GuardEngine(ServedModels models, ProfileBook profiles, GuardMetrics metrics) {

    public GuardEngine {
        if (models == null || profiles == null || metrics == null) {
            throw new IllegalArgumentException("models, profiles and metrics are required");
        }
    }

    /** An engine for {@code models}, with no profile yet and fresh Prometheus meters. */
    public static GuardEngine of(ServedModels models) {
        GuardMetrics metrics = GuardMetrics.prometheus();
        return new GuardEngine(models, new ProfileBook(models, metrics), metrics);
    }
}
