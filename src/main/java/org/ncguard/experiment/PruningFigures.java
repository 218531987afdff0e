package org.ncguard.experiment;

import java.nio.file.Path;
import java.util.List;
import org.ncguard.NcguardException;
import org.ncguard.mitigate.patch.Measurement;
import org.ncguard.mitigate.patch.PatchMethod;
import org.ncguard.mitigate.patch.PatchOutcome;
import org.ncguard.mitigate.patch.PatchRun;
import org.ncguard.mitigate.patch.PruneLayer;
import org.ncguard.mitigate.patch.PruningCurve;
import org.ncguard.mitigate.patch.UnlearnSettings;

/**
 * Fig. 5b/c for one infected model, scan seed and layer: units zeroed in the order of their activation gap under the
 * flagged labels' reversed triggers, with clean accuracy and attack success (reversed and real trigger) after every
 * step, until the attack is gone or the accuracy budget is spent ({@link PatchRun}).
 *
 * @param layer   {@code spatial}, {@code penultimate} or {@code conv}
 * @param units   units in the layer
 * @param points  step 0 (nothing pruned) first
 * @param goalMet whether the attack fell under the target before the budget ran out
 * @param why     the stop rule's words
 * @param seconds wall time of the step
 */
record PruningFigures(String layer, int units, List<Point> points, boolean goalMet, String why, double seconds) {

    /** Accuracy drop the curve may run to: wider than patch's default so that the curve shows the trade-off. */
    static final double MAX_ACCURACY_DROP = 0.05;
    /** Attack success under which the backdoor counts as removed (patch's default for pruning). */
    static final double TARGET_SUCCESS = PatchMethod.PRUNE.targetSuccess();

    /**
     * @param fraction          share of the layer's units zeroed
     * @param accuracy          clean accuracy
     * @param attackSuccess     worst reversed trigger's attack success
     * @param realAttackSuccess the real trigger's
     */
    record Point(double fraction, double accuracy, double attackSuccess, double realAttackSuccess) {}

    static PruningFigures measure(Task task, Path model, Path scanDir, PruneLayer layer, Path scratch,
            ExperimentSettings s) throws NcguardException {
        long start = System.nanoTime();
        PatchOutcome outcome = PatchRun.run(Patches.request(task, model, scanDir, scratch, PatchMethod.PRUNE, layer,
                MAX_ACCURACY_DROP, TARGET_SUCCESS, UnlearnSettings.paper(), s));
        PruningCurve curve = outcome.curve();
        List<Point> points = curve.points().stream().map(p -> point(p.fraction(), p.measured())).toList();
        return new PruningFigures(layer.id(), curve.units(), points, outcome.card().goalMet(), outcome.card().why(),
                (System.nanoTime() - start) / 1e9);
    }

    private static Point point(double fraction, Measurement m) {
        return new Point(fraction, m.accuracy(), m.attackSuccess(), m.realAttackSuccess());
    }
}
