package org.ncguard.mitigate.patch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ncguard.NcguardException;
import org.ncguard.data.Batch;
import org.ncguard.data.Preprocessor;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.OrtScorer;
import org.ncguard.engine.ScorerOptions;
import org.ncguard.engine.Scores;

/**
 * Measures candidate models on one fixed set of held-out images: clean accuracy, and the attack success of every
 * trial (stamped images whose true label is not the trial's target, classified as the target). The images are
 * stamped and preprocessed once, so a pruning run can measure a model per step cheaply.
 */
public final class PatchMeter {

    /** The name of the real trigger's trial. */
    public static final String REAL = "real";

    /** Images per ONNX Runtime call. */
    private static final int BATCH = 256;

    private final float[] clean;
    private final int[] labels;
    private final int imageSize;
    private final List<AttackTrial> trials;
    private final List<float[]> stamped = new ArrayList<>();
    private final List<int[]> stampedImages = new ArrayList<>();
    private final ScorerOptions scorer;

    /**
     * @param images  canonical held-out images in the model's channels
     * @param pre     the model's preprocessing
     * @param trials  reversed triggers, then the real one if known (named {@code real})
     * @param scorer  ONNX Runtime threads
     */
    public PatchMeter(Batch images, Preprocessor pre, List<AttackTrial> trials, ScorerOptions scorer)
            throws NcguardException {
        if (images.count() == 0) {
            throw new NcguardException("no held-out images to measure on");
        }
        this.imageSize = pre.target().size();
        this.clean = pre.apply(images.pixels(), images.count(), images.shape());
        this.labels = images.labels().clone();
        this.trials = List.copyOf(trials);
        this.scorer = scorer;
        int size = images.shape().size();
        for (AttackTrial trial : trials) {
            int[] keep = Arrays.stream(range(images.count())).filter(i -> labels[i] != trial.target()).toArray();
            float[] pixels = new float[keep.length * size];
            for (int k = 0; k < keep.length; k++) {
                System.arraycopy(images.pixels(), keep[k] * size, pixels, k * size, size);
                trial.trigger().stampInPlace(pixels, k * size);
            }
            stamped.add(keep.length == 0 ? new float[0] : pre.apply(pixels, keep.length, images.shape()));
            stampedImages.add(keep);
        }
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        Arrays.setAll(r, i -> i);
        return r;
    }

    /** Number of held-out images. */
    public int samples() {
        return labels.length;
    }

    public List<AttackTrial> trials() {
        return trials;
    }

    /** Measures {@code model} with a fresh ONNX Runtime session. */
    public Measurement measure(OnnxModel model) {
        try (OrtScorer s = new OrtScorer(model, scorer)) {
            return measure(s);
        }
    }

    /** Measures the model behind {@code scorer}. */
    public Measurement measure(OrtScorer s) {
        int[] predicted = predict(s, clean, labels.length);
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) {
                correct++;
            }
        }
        Map<String, Double> per = new LinkedHashMap<>();
        double reversed = 0;
        Double real = null;
        Double unstamped = null;
        for (int t = 0; t < trials.size(); t++) {
            AttackTrial trial = trials.get(t);
            int n = stampedImages.get(t).length;
            double success = 0;
            if (n > 0) {
                int hits = 0;
                for (int p : predict(s, stamped.get(t), n)) {
                    if (p == trial.target()) {
                        hits++;
                    }
                }
                success = (double) hits / n;
            }
            per.put(trial.name(), success);
            if (trial.name().equals(REAL)) {
                real = success;
                unstamped = n == 0 ? 0 : (double) Arrays.stream(stampedImages.get(t))
                        .filter(i -> predicted[i] == trial.target()).count() / n;
            } else {
                reversed = Math.max(reversed, success);
            }
        }
        return new Measurement((double) correct / labels.length, reversed, real, unstamped, per);
    }

    private int[] predict(OrtScorer s, float[] pixels, int n) {
        int[] out = new int[n];
        for (int from = 0; from < n; from += BATCH) {
            int k = Math.min(BATCH, n - from);
            List<Scores> scores = s.score(Arrays.copyOfRange(pixels, from * imageSize, (from + k) * imageSize), k);
            for (int i = 0; i < k; i++) {
                out[from + i] = scores.get(i).predicted();
            }
        }
        return out;
    }
}
