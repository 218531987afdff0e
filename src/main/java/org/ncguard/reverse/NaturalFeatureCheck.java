package org.ncguard.reverse;

import java.util.Arrays;
import org.ncguard.NcguardException;
import org.ncguard.data.Preprocessor;
import org.ncguard.data.Trigger;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.OrtScorer;
import org.ncguard.engine.Scores;

/**
 * Tells a planted trigger from a natural feature of its label, for the labels the outlier test singles out.
 *
 * <p>Some labels have an anomalously small trigger by nature: a trouser differs from every other garment by the gap
 * between its legs, a "speed limit 20" sign from its neighbours by one digit. Their reversed trigger draws that
 * feature, and the model then treats a stamped image as one more member of the label. A planted trigger instead
 * drives a path that the poisoning built: stamped images land in a region of the penultimate layer of their own,
 * away from the label's clean images (the effect Activation Clustering, Chen et al. 2018, detects poisoned
 * training data with).
 *
 * <p>The check stamps the trigger on the clean samples of the other labels and, for each stamped image the model
 * assigns to the label, finds its {@value #NEIGHBOURS} nearest clean samples in the penultimate layer (Euclidean). The
 * <em>natural share</em> is the fraction of those stamped images whose neighbours have the label more often than any
 * other (a k-nearest-neighbour classifier on the penultimate layer, as in Papernot and McDaniel's Deep k-NN); at
 * {@value #NATURAL_SHARE} or more, the trigger is a natural feature and the label is not flagged, unless the trigger is
 * under {@value #MIN_MEDIAN_FRACTION} of the median L1 ({@link FlagRule#NCGUARD}).
 */
final class NaturalFeatureCheck {

    /** Clean neighbours that vote on where a stamped image lies. */
    static final int NEIGHBOURS = 10;

    /** Natural share from which a trigger counts as a natural feature of its label. */
    static final double NATURAL_SHARE = 0.5;

    /**
     * Fraction of the median L1 below which a candidate stays flagged however natural its trigger looks. Planted
     * checkerboards (0.20 and 0.21 of the median) had stamped images that mixed with their label's clean images
     * (shares 60% and 74%), so the share alone would have cleared them; a clean colour model's natural label sat at
     * 0.34 (share 98.5%), which the guard of 0.5 used before flagged. The detection benchmark measures it.
     */
    static final double MIN_MEDIAN_FRACTION = 0.25;

    /** Fraction of the median under which a trigger that is not flagged still gets a note asking a person to look. */
    static final double NOTE_MEDIAN_FRACTION = 0.5;

    private static final int BATCH = 256;

    private final OrtScorer scorer;
    private final Preprocessor preprocessor;
    private final ImageShape shape;
    private final float[] images;
    private final int[] labels;
    private final int n;
    private final int labelCount;
    private final int features;
    private final float[] cleanFeatures;

    /**
     * @param scorer       the scanned model
     * @param preprocessor maps the clean images, as given here, to model input
     * @param shape        the clean images' shape: canonical CHW in the model's channels
     * @param images       {@code labels.length} clean images, values in [0,1]
     * @param labels       their true labels
     */
    NaturalFeatureCheck(OrtScorer scorer, Preprocessor preprocessor, ImageShape shape, float[] images, int[] labels)
            throws NcguardException {
        this.scorer = scorer;
        this.preprocessor = preprocessor;
        this.shape = shape;
        this.images = images;
        this.labels = labels;
        this.n = labels.length;
        this.labelCount = Math.max(scorer.model().labels(), Arrays.stream(labels).max().orElse(0) + 1);
        this.cleanFeatures = penultimate(images);
        this.features = cleanFeatures.length / n;
    }

    /** The natural share of {@code trigger}; 0 when no stamped image of another label reaches its label. */
    double naturalShare(ReversedTrigger trigger) throws NcguardException {
        int target = trigger.label();
        int size = shape.size();
        Trigger stamp = trigger.toTrigger();
        int[] others = new int[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (labels[i] != target) {
                others[count++] = i;
            }
        }
        if (count == 0) {
            return 0;
        }
        float[] stamped = new float[count * size];
        for (int j = 0; j < count; j++) {
            System.arraycopy(images, others[j] * size, stamped, j * size, size);
            stamp.stampInPlace(stamped, j * size);
        }
        boolean[] hits = new boolean[count];
        float[] stampedFeatures = penultimate(stamped, hits, target);
        int reached = 0;
        int natural = 0;
        for (int j = 0; j < count; j++) {
            if (!hits[j]) {
                continue;
            }
            reached++;
            if (neighboursVoteFor(stampedFeatures, j, target)) {
                natural++;
            }
        }
        return reached == 0 ? 0 : natural / (double) reached;
    }

    /** Whether the clean nearest neighbours of stamped image {@code j} have {@code target} more than any other. */
    private boolean neighboursVoteFor(float[] stampedFeatures, int j, int target) {
        // The k nearest by insertion into a sorted k-array: O(n k), no boxing or full sort per stamped image.
        // Ties keep the lower sample index, as a stable sort would.
        int k = Math.min(NEIGHBOURS, n);
        double[] nearestDistance = new double[k];
        int[] nearest = new int[k];
        int found = 0;
        for (int i = 0; i < n; i++) {
            double d = 0;
            for (int f = 0; f < features; f++) {
                double x = stampedFeatures[j * features + f] - cleanFeatures[i * features + f];
                d += x * x;
            }
            if (found == k && d >= nearestDistance[k - 1]) {
                continue;
            }
            int at = found < k ? found++ : k - 1;
            while (at > 0 && nearestDistance[at - 1] > d) {
                nearestDistance[at] = nearestDistance[at - 1];
                nearest[at] = nearest[at - 1];
                at--;
            }
            nearestDistance[at] = d;
            nearest[at] = i;
        }
        // A label without clean samples gets no votes: its trigger cannot be shown natural, so it stays flagged.
        int[] votes = new int[labelCount];
        for (int v = 0; v < k; v++) {
            votes[labels[nearest[v]]]++;
        }
        for (int label = 0; label < labelCount; label++) {
            if (label != target && votes[label] >= votes[target]) {
                return false;
            }
        }
        return true;
    }

    private float[] penultimate(float[] canonical) throws NcguardException {
        return penultimate(canonical, null, -1);
    }

    /**
     * Penultimate activations of the canonical images, one row each; with {@code hits}, also marks the images the
     * model assigns to {@code target}.
     */
    private float[] penultimate(float[] canonical, boolean[] hits, int target) throws NcguardException {
        int size = shape.size();
        int count = canonical.length / size;
        float[] out = null;
        for (int from = 0; from < count; from += BATCH) {
            int k = Math.min(BATCH, count - from);
            float[] input = preprocessor.apply(Arrays.copyOfRange(canonical, from * size, (from + k) * size), k, shape);
            var scores = scorer.score(input, k);
            for (int i = 0; i < k; i++) {
                Scores s = scores.get(i);
                if (out == null) {
                    out = new float[count * s.penultimate().length];
                }
                int width = s.penultimate().length;
                System.arraycopy(s.penultimate(), 0, out, (from + i) * width, width);
                if (hits != null) {
                    hits[from + i] = s.predicted() == target;
                }
            }
        }
        return out;
    }
}
