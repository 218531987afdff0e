package org.ncguard.lab;

import java.util.List;
import org.ncguard.NcguardException;
import org.ncguard.data.Batch;
import org.ncguard.data.ImageSource;
import org.ncguard.data.Preprocessor;
import org.ncguard.data.Trigger;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.OrtScorer;
import org.ncguard.engine.Scores;

/**
 * Measures any ONNX classifier with ONNX Runtime: clean accuracy, and the attack success rate of a trigger.
 *
 * <p>The attack success rate counts only test images whose true label is not the target: an image of the target
 * class classified as the target says nothing about the backdoor. Images are stamped in canonical pixel space,
 * then preprocessed like the clean ones, as an attacker stamps a photo before the service sees it.
 */
public final class Evaluator {

    /** Images per ONNX Runtime call. */
    static final int BATCH = 256;

    private final OrtScorer scorer;
    private final Preprocessor preprocessor;

    public Evaluator(OrtScorer scorer, Preprocessor preprocessor) {
        this.scorer = scorer;
        this.preprocessor = preprocessor;
    }

    /** Clean accuracy only. */
    public Evaluation evaluate(ImageSource data) throws NcguardException {
        return evaluate(data, null, -1);
    }

    /**
     * Clean accuracy and, when {@code trigger} is not null, the share of stamped non-{@code target} images
     * classified as {@code target}.
     */
    public Evaluation evaluate(ImageSource data, Trigger trigger, int target) throws NcguardException {
        check(scorer.model(), data, preprocessor, trigger != null, target);
        if (trigger != null && !trigger.shape().equals(data.shape())) {
            throw new IllegalArgumentException("trigger for " + trigger.shape() + " cannot stamp images of "
                    + data.shape());
        }
        int correct = 0;
        int attackSamples = 0;
        int attackHits = 0;
        for (Batch batch : data.batches(BATCH)) {
            int[] labels = batch.labels();
            List<Scores> clean = scorer.score(preprocessor.apply(batch), batch.count());
            for (int i = 0; i < labels.length; i++) {
                if (clean.get(i).predicted() == labels[i]) {
                    correct++;
                }
            }
            if (trigger != null) {
                List<Scores> stamped = scorer.score(preprocessor.apply(trigger.stamped(batch)), batch.count());
                for (int i = 0; i < labels.length; i++) {
                    if (labels[i] != target) {
                        attackSamples++;
                        if (stamped.get(i).predicted() == target) {
                            attackHits++;
                        }
                    }
                }
            }
        }
        return new Evaluation(data.count(), correct, attackSamples, attackHits, trigger != null);
    }

    /**
     * Checks that {@code data} can be scored by {@code model}: image size, labels within the model's outputs, and
     * (with a trigger) a target label the model has.
     */
    static void check(OnnxModel model, ImageSource data, Preprocessor preprocessor, boolean withTrigger, int target)
            throws NcguardException {
        preprocessor.requireCompatible(data.shape());
        if (data.count() == 0) {
            throw new NcguardException(data.name() + " holds no images; expected a test set to measure on");
        }
        if (data.labelCount() > model.labels()) {
            throw new NcguardException(data.name() + " has " + data.labelCount() + " labels but " + model.source()
                    + " has " + model.labels() + " outputs; use data of the model's task");
        }
        if (withTrigger) {
            requireTarget(target, model.labels(), model.source());
        }
    }

    /** Fails with a one-line message unless {@code target} is in {@code [0, labels)}. */
    static void requireTarget(int target, int labels, String of) throws NcguardException {
        if (target < 0 || target >= labels) {
            throw new NcguardException("target label " + target + " is out of range: " + of + " has labels 0.."
                    + (labels - 1));
        }
    }
}
