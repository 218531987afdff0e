package org.ncguard.guard;

import org.ncguard.guard.score.ServedModels;

/**
 * The guard's live parts that a topology runs against: the served models (ONNX Runtime sessions), the profiles in
 * force, and the meters. Made once per application; the topology only refers to them.
 *
 * @param models   served models
 * @param profiles profiles in force
 * @param metrics  meters
 * @param maxForwardBytes the largest record the clean and quarantine topics take (key, value and headers); a
 *                        request that would be larger with the guard's headers goes to the dead-letter topic
 */
public record GuardEngine(ServedModels models, ProfileBook profiles, GuardMetrics metrics, int maxForwardBytes) {

    public GuardEngine {
        if (models == null || profiles == null || metrics == null) {
            throw new IllegalArgumentException("models, profiles and metrics are required");
        }
        if (maxForwardBytes < 1) {
            throw new IllegalArgumentException("maxForwardBytes must be positive, found " + maxForwardBytes);
        }
    }

    /** An engine for {@code models}, with no profile yet, fresh Prometheus meters and no record size limit. */
    public static GuardEngine of(ServedModels models) {
        GuardMetrics metrics = GuardMetrics.prometheus();
        return new GuardEngine(models, new ProfileBook(models, metrics), metrics, Integer.MAX_VALUE);
    }

    /** The same engine with a record size limit on forwarded requests. */
    public GuardEngine withMaxForwardBytes(int bytes) {
        return new GuardEngine(models, profiles, metrics, bytes);
    }
}
