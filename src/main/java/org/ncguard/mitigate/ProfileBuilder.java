package org.ncguard.mitigate;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ncguard.NcguardException;
import org.ncguard.data.Batch;
import org.ncguard.data.ImageSource;
import org.ncguard.data.Preprocessor;
import org.ncguard.data.Trigger;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.OrtScorer;
import org.ncguard.engine.Versions;
import org.ncguard.profile.GuardProfile;
import org.ncguard.profile.InputSpec;
import org.ncguard.profile.LabelProfile;
import org.ncguard.profile.PenultimateLayer;
import org.ncguard.profile.Roc;
import org.ncguard.profile.ScanSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a guard profile, the paper's input filter: for each suspicious label, rank the penultimate neurons by how much
 * the label's reversed trigger excites them, form a linear score over the top ones, set its threshold at the asked
 * false-positive rate on clean data, and measure the filter.
 *
 * <p>The clean images are split at random into three disjoint slices: one ranks the neurons (and gives the centring
 * and scaling of the z-scored form), one sets the thresholds, one is held out to measure the ROC and the threshold's
 * real false-positive rate. Both score forms are measured; the profile carries the chosen one.
 */
public final class ProfileBuilder {

    private static final Logger log = LoggerFactory.getLogger(ProfileBuilder.class);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final OrtScorer scorer;
    private final Preprocessor preprocessor;
    private final ProfileSettings settings;

    public ProfileBuilder(OrtScorer scorer, Preprocessor preprocessor, ProfileSettings settings) {
        this.scorer = scorer;
        this.preprocessor = preprocessor;
        this.settings = settings;
    }

    /**
     * A stamp the profile is measured against: a trigger in the model's channels (canonical) and the label it sends
     * inputs to.
     */
    public record Stamp(Trigger trigger, int label) {}

    /** The profile and the figures of both score forms, label by label. */
    public record Result(GuardProfile profile, List<LabelFigures> figures) {}

    /**
     * Builds the profile.
     *
     * @param data     clean labelled images of the model's task
     * @param reversed the reversed trigger of every label to guard, ascending by label; empty for a clean model
     * @param real     the real trigger, when known (lab models); null otherwise
     * @param scan     the scan the triggers came from; null if none
     */
    public Result build(ImageSource data, List<Stamp> reversed, Stamp real, ScanSource scan) throws NcguardException {
        OnnxModel model = scorer.model();
        ImageShape shape = model.input().shape();
        preprocessor.requireCompatible(data.shape());
        int n = Math.min(settings.samples(), data.count());
        if (n < 3 * ProfileSettings.MIN_SLICE) {
            throw new NcguardException(data.name() + " has " + data.count() + " images; a profile needs at least "
                    + 3 * ProfileSettings.MIN_SLICE + " clean images (three slices of " + ProfileSettings.MIN_SLICE
                    + ")");
        }
        int[] order = Arrays.copyOf(ModelImages.shuffled(data.count(), settings.seed()), n);
        int third = n / 3;
        Batch rank = ModelImages.load(data, shape, Arrays.copyOfRange(order, 0, third));
        Batch calibrate = ModelImages.load(data, shape, Arrays.copyOfRange(order, third, 2 * third));
        Batch heldOut = ModelImages.load(data, shape, Arrays.copyOfRange(order, 2 * third, 3 * third));
        log.info("Profile of {} label(s) on {} clean images of {}: {} to rank neurons, {} to set thresholds, {} held "
                + "out", reversed.size(), 3 * third, data.name(), third, third, third);

        Penultimates rankClean = Penultimates.of(scorer, preprocessor, rank, null);
        Penultimates calibrateClean = Penultimates.of(scorer, preprocessor, calibrate, null);
        Penultimates heldOutClean = Penultimates.of(scorer, preprocessor, heldOut, null);
        int size = rankClean.features();

        List<LabelProfile> labels = new ArrayList<>();
        List<LabelFigures> figures = new ArrayList<>();
        for (Stamp stamp : reversed) {
            int label = stamp.label();
            NeuronGaps gaps = NeuronGaps.measure(rankClean,
                    Penultimates.of(scorer, preprocessor, others(rank, label), stamp.trigger()));
            Penultimates stampedHeldOut = attacks(Penultimates.of(scorer, preprocessor, others(heldOut, label),
                    stamp.trigger()), label);
            Penultimates realHeldOut = real == null ? null : attacks(Penultimates.of(scorer, preprocessor,
                    others(heldOut, real.label()), real.trigger()), real.label());
            for (ScoreForm form : ScoreForm.values()) {
                ScoreForm.LinearScore score = form.build(gaps, settings.neuronsFor(form, size));
                double[] calibration = score.scores(calibrateClean);
                double threshold = RocMath.threshold(calibration, settings.fpr());
                double[] clean = score.scores(heldOutClean);
                LabelFigures f = new LabelFigures(label, form, score.neurons().length, threshold,
                        RocMath.shareAbove(clean, threshold), RocMath.curve(clean, score.scores(stampedHeldOut)),
                        realHeldOut == null ? null : RocMath.curve(clean, score.scores(realHeldOut)));
                figures.add(f);
                if (form == settings.form()) {
                    labels.add(new LabelProfile(label, score.neurons(), score.weights(), score.center(),
                            score.scale(), threshold, score.gaps(), mean(calibration), std(calibration),
                            new Roc(f.reversed(), f.real())));
                }
                log.info("label {} ({} score, {} neurons): threshold {}, held-out FPR {}%, FNR at {}% FPR {}% "
                        + "(reversed trigger){}", label, form.id(), f.neurons(), String.format("%.3f", threshold),
                        String.format("%.1f", 100 * f.heldOutFpr()), Math.round(100 * settings.fpr()),
                        String.format("%.1f", 100 * f.reversed().fnrAt(settings.fpr())),
                        f.real() == null ? "" : String.format(", %.1f%% (real trigger)",
                                100 * f.real().fnrAt(settings.fpr())));
            }
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        GuardProfile profile = new GuardProfile(GuardProfile.FORMAT_VERSION,
                model.sha256().substring(0, 12) + "-" + ID_TIME.format(now), now.toString(), model.sha256(),
                model.labels(), new PenultimateLayer(model.penultimate().tensor(), size), inputSpec(model),
                settings.fpr(), settings.form().id(), labels, scan, Versions.all(), null);
        return new Result(profile, figures);
    }

    /**
     * The stamped inputs whose attack worked (the model sent them to {@code label}): the ones a filter must catch. A
     * stamped input the model still classifies correctly does no harm, so it counts neither as caught nor as missed.
     * When none worked (a reversed trigger always works on most), all of them.
     */
    private static Penultimates attacks(Penultimates stamped, int label) {
        Penultimates worked = stamped.predictedAs(label);
        return worked.count() > 0 ? worked : stamped;
    }

    /** How the guard turns raw pixels into this model's input: the preprocessing given for the data. */
    private InputSpec inputSpec(OnnxModel model) {
        ImageShape s = model.input().shape();
        return new InputSpec(model.input().name(), s.layout().name(), s.channels(), s.height(), s.width(),
                preprocessor.scale(), preprocessor.mean(), preprocessor.std());
    }

    /** The images of {@code batch} whose true label is not {@code label}: stamping them is an attack. */
    static Batch others(Batch batch, int label) {
        int size = batch.shape().size();
        int count = 0;
        for (int l : batch.labels()) {
            if (l != label) {
                count++;
            }
        }
        float[] pixels = new float[count * size];
        int[] labels = new int[count];
        int j = 0;
        for (int i = 0; i < batch.count(); i++) {
            if (batch.labels()[i] != label) {
                System.arraycopy(batch.pixels(), i * size, pixels, j * size, size);
                labels[j++] = batch.labels()[i];
            }
        }
        return new Batch(pixels, labels, batch.shape());
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(0);
    }

    private static double std(double[] v) {
        double m = mean(v);
        return Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).average().orElse(0));
    }
}
