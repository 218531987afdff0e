package org.ncguard.experiment;

import java.nio.file.Path;
import java.util.List;
import org.ncguard.mitigate.patch.PatchMethod;
import org.ncguard.mitigate.patch.PatchRequest;
import org.ncguard.mitigate.patch.Preprocessing;
import org.ncguard.mitigate.patch.PruneLayer;
import org.ncguard.mitigate.patch.UnlearnSettings;

/** The one way the experiment asks {@code patch} for something: the task's data, real trigger and sizes. */
final class Patches {

    private Patches() {
    }

    static PatchRequest request(Task task, Path model, Path scanDir, Path scratch, PatchMethod method,
            PruneLayer layer, double maxAccuracyDrop, double targetSuccess, UnlearnSettings unlearn,
            ExperimentSettings s) {
        return new PatchRequest(model, scanDir, scratch, method, task.scan(), task.test(), task.train(),
                Preprocessing.defaults(), Math.min(1000, s.scanSamples()), s.testImages(), task.trigger(),
                task.target(), maxAccuracyDrop, targetSuccess, List.of(layer), 0, unlearn, 1, s.threads());
    }
}
