package org.ncguard.experiment;

import java.nio.file.Path;
import org.ncguard.NcguardException;
import org.ncguard.mitigate.patch.Measurement;
import org.ncguard.mitigate.patch.PatchCard;
import org.ncguard.mitigate.patch.PatchMethod;
import org.ncguard.mitigate.patch.PatchRun;
import org.ncguard.mitigate.patch.PruneLayer;
import org.ncguard.mitigate.patch.UnlearnSettings;

/**
 * Table 4 for one infected model and scan seed: the model before, and after the same fine-tuning stamped with the
 * reversed trigger(s), with the real trigger, and with no stamps at all (the paper's control: fine-tuning alone).
 *
 * @param before   the infected model
 * @param reversed unlearned with the reversed trigger
 * @param real     unlearned with the real trigger
 * @param cleanOnly fine-tuned on clean images only
 * @param seconds  wall time of the step
 */
record UnlearningFigures(Row before, Row reversed, Row real, Row cleanOnly, double seconds) {

    /** No budget: the table reports what unlearning costs instead of refusing it. */
    static final double MAX_ACCURACY_DROP = 1.0;
    /** Attack success under which the backdoor counts as removed (patch's default for unlearning). */
    static final double TARGET_SUCCESS = PatchMethod.UNLEARN.targetSuccess();

    /**
     * @param accuracy          clean accuracy
     * @param attackSuccess     the real trigger's attack success
     * @param reversedSuccess   the worst reversed trigger's
     */
    record Row(double accuracy, double attackSuccess, double reversedSuccess) {

        static Row of(Measurement m) {
            return new Row(m.accuracy(), m.realAttackSuccess(), m.attackSuccess());
        }
    }

    /** @param unlearn the paper's settings, or {@code patch}'s defaults */
    static UnlearningFigures measure(Task task, Path model, Path scanDir, Path scratch, UnlearnSettings unlearn,
            ExperimentSettings s) throws NcguardException {
        long start = System.nanoTime();
        PatchCard card = PatchRun.run(Patches.request(task, model, scanDir, scratch, PatchMethod.UNLEARN,
                PruneLayer.PENULTIMATE, MAX_ACCURACY_DROP, TARGET_SUCCESS, unlearn, s)).card();
        Object real = card.details().get("realTriggerUnlearning");
        if (!(real instanceof Measurement withReal)) {
            throw new IllegalStateException("patch did not measure unlearning with the real trigger: " + real);
        }
        return new UnlearningFigures(Row.of(card.before()), Row.of(card.after()), Row.of(withReal),
                Row.of(card.control()), (System.nanoTime() - start) / 1e9);
    }
}
