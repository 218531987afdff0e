package org.ncguard.experiment;

import java.nio.file.Path;
import org.ncguard.mitigate.patch.PatchMethod;
import org.ncguard.mitigate.patch.PatchRequest;
import org.ncguard.mitigate.patch.Preprocessing;
import org.ncguard.mitigate.patch.PruneLayer;
import org.ncguard.mitigate.patch.UnlearnSettings;

/** The one way the experiment asks {@code patch} for something: the task's data, real trigger and sizes. */
final class Patches {

    /**
     * Unlearning as the paper does it: 10% of the training data, 20% of each batch stamped (keeping the true label),
     * one epoch; stamped with the scan's reversed trigger only (the paper) or with {@code reversals} per flagged label.
     */
    static UnlearnSettings unlearnSettings(int reversals) {
        return new UnlearnSettings(0.1, 0.2, 1, 32, 1e-3, reversals, UnlearnSettings.DEFAULT_TWIN_WEIGHT, 1);
    }

    private Patches() {
    }

    static PatchRequest request(Task task, Path model, Path scanDir, Path scratch, PatchMethod method,
            PruneLayer layer, double maxAccuracyDrop, double targetSuccess, int reversals, ExperimentSettings s) {
        return new PatchRequest(model, scanDir, scratch, method, task.scan(), task.test(), task.train(),
                Preprocessing.defaults(), Math.min(1000, s.scanSamples()), s.testImages(), task.trigger(),
                task.target(), maxAccuracyDrop, targetSuccess, layer, 0, unlearnSettings(reversals), 1, s.threads());
    }
}
