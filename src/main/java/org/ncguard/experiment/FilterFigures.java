package org.ncguard.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ncguard.NcguardException;
import org.ncguard.data.DataSources;
import org.ncguard.data.ImageSource;
import org.ncguard.data.Preprocessor;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.OrtScorer;
import org.ncguard.engine.ScorerOptions;
import org.ncguard.mitigate.LabelFigures;
import org.ncguard.mitigate.ModelImages;
import org.ncguard.mitigate.ProfileBuilder;
import org.ncguard.mitigate.ProfileSettings;
import org.ncguard.mitigate.RocMath;
import org.ncguard.mitigate.ScanTriggers;
import org.ncguard.mitigate.ScoreForm;
import org.ncguard.profile.RocCurve;

/**
 * Fig. 5a for one infected model and scan seed: the input filter built on the target label's reversed trigger (as the
 * paper does for the infected label), its false-negative rate at each reported false-positive rate, on held-out clean
 * images and on held-out images stamped with the reversed and with the real trigger, for both score forms.
 *
 * @param targetFlagged whether the scan flagged the target (a defender would build the filter only then)
 * @param fprs          the false-positive rates, ascending ({@link RocMath#REPORTED_FPRS})
 * @param forms         one entry per score form
 * @param seconds       wall time of the step
 */
record FilterFigures(boolean targetFlagged, double[] fprs, List<Form> forms, double seconds) {

    /**
     * @param form        the score form's id
     * @param neurons     neurons it used
     * @param heldOutFpr  the 5% threshold's real FPR on held-out clean images
     * @param reversedFnr FNR at each of {@code fprs}, reversed trigger
     * @param realFnr     FNR at each of {@code fprs}, real trigger
     * @param reversedAuc area under the ROC, reversed trigger
     * @param realAuc     area under the ROC, real trigger
     */
    record Form(String form, int neurons, double heldOutFpr, double[] reversedFnr, double[] realFnr,
            double reversedAuc, double realAuc) {}

    static FilterFigures measure(Task task, Path model, Path scanDir, int samples, int threads)
            throws NcguardException {
        long start = System.nanoTime();
        OnnxModel m = OnnxModel.load(model);
        ScanTriggers triggers = ScanTriggers.load(scanDir, m, List.of(task.target()));
        List<Form> forms = new ArrayList<>();
        try (ImageSource clean = DataSources.open(task.scan());
                OrtScorer scorer = new OrtScorer(m, new ScorerOptions(threads))) {
            ProfileBuilder.Stamp real = new ProfileBuilder.Stamp(task.trigger().build(
                    ModelImages.canonical(m.input().shape())), task.target());
            ProfileBuilder.Result result = new ProfileBuilder(scorer, new Preprocessor(m.input().shape()),
                    new ProfileSettings(0.05, ScoreForm.NCGUARD, null, samples, 1))
                    .build(clean, triggers.stamps(), real, triggers.source());
            for (LabelFigures f : result.figures()) {
                forms.add(new Form(f.form().id(), f.neurons(), f.heldOutFpr(), fnrs(f.reversed()), fnrs(f.real()),
                        f.reversed().auc(), f.real().auc()));
            }
        }
        return new FilterFigures(triggers.report().flagged().contains(task.target()), RocMath.REPORTED_FPRS.clone(),
                forms, (System.nanoTime() - start) / 1e9);
    }

    private static double[] fnrs(RocCurve curve) {
        double[] fnr = new double[RocMath.REPORTED_FPRS.length];
        for (int i = 0; i < fnr.length; i++) {
            fnr[i] = curve.fnrAt(RocMath.REPORTED_FPRS[i]);
        }
        return fnr;
    }
}
