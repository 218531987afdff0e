package org.ncguard.reverse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The outlier test of Neural Cleanse: is one label's reversed trigger anomalously small?
 *
 * <p>Over the labels whose optimisation converged: the median of their mask L1 norms, the median absolute
 * deviation scaled to a normal's standard deviation ({@code MAD = 1.4826 * median(|L1 - median|)}), and per label
 * the anomaly index {@code |L1 - median| / MAD}. A label is flagged iff its L1 is below the median and its index
 * is above the threshold (2 in the paper, where infected models scored above 3 and clean ones below 2). A label
 * that never reached the attack-success target has no L1 norm: it takes no part in the median or the MAD, gets
 * no index and is never flagged.
 *
 * <p>Edge case, MAD = 0 (more than half of the norms are equal): an index of |deviation| / 0 would be infinite.
 * The spread is then taken as the mean absolute deviation times sqrt(pi/2) (its consistency constant for a
 * normal distribution, the usual fallback for the modified z-score). Labels at the median keep index 0; a label
 * away from it gets a finite index that says how far it sits from the others. Note what that means: when all
 * labels but one share exactly the same norm, the odd one gets index n / sqrt(pi/2) (above 2 from n = 3 on), so a
 * single smaller norm among identical ones is flagged however small the difference, which is what "infinitely many
 * MADs below the median" amounts to. Optimised norms are continuous, so exact ties mostly come from tests or from
 * a broken optimiser. If all norms are equal, every index is 0 and nothing is flagged. The result says (in its
 * notes) when the fallback was used.
 *
 * <p>With fewer than {@value #MIN_RELIABLE_LABELS} converged labels the numbers are still computed, but a note
 * says that they mean little: a median and a deviation of one or two values cannot single out an outlier.
 */
public final class AnomalyIndex {

    /** The paper's flagging threshold: a label whose index exceeds it (and whose L1 is below the median) is flagged. */
    public static final double DEFAULT_THRESHOLD = 2.0;

    /** Scales the median absolute deviation to the standard deviation of a normal distribution. */
    public static final double MAD_CONSISTENCY = 1.4826;

    /** Scales the mean absolute deviation to the standard deviation of a normal distribution: sqrt(pi/2). */
    public static final double MEAN_AD_CONSISTENCY = Math.sqrt(Math.PI / 2);

    /** Fewer converged labels than this and the test is reported as unreliable. */
    public static final int MIN_RELIABLE_LABELS = 3;

    private final double threshold;

    /** The test with the paper's threshold of {@value #DEFAULT_THRESHOLD}. */
    public AnomalyIndex() {
        this(DEFAULT_THRESHOLD);
    }

    /** The test with another threshold; must be positive and finite. */
    public AnomalyIndex(double threshold) {
        if (!(threshold > 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("anomaly threshold must be a positive number, found " + threshold);
        }
        this.threshold = threshold;
    }

    /** The flagging threshold of this test. */
    public double threshold() {
        return threshold;
    }

    /**
     * Runs the test.
     *
     * @param l1Norms one entry per label, in any order the caller keeps track of; {@code null} for a label whose
     *                optimisation did not converge. Norms must be finite and not negative.
     * @return statistics and one index per entry, in the same positions
     */
    public Result apply(List<Double> l1Norms) {
        double[] values = l1Norms.stream().filter(v -> v != null).mapToDouble(Double::doubleValue).toArray();
        for (double v : values) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("L1 norms must be finite and >= 0, found " + v);
            }
        }
        List<String> notes = new ArrayList<>();
        int n = values.length;
        if (n == 0) {
            notes.add("No label converged, so there is nothing to compare: the outlier test could not run.");
            return new Result(l1Norms, null, null, null, threshold, nulls(l1Norms.size()), notes);
        }
        if (n < MIN_RELIABLE_LABELS) {
            notes.add(String.format(Locale.ROOT, "Only %d label%s converged; the outlier test needs at least %d "
                    + "to mean anything.", n, n == 1 ? "" : "s", MIN_RELIABLE_LABELS));
        }
        double median = median(values);
        double[] deviations = new double[n];
        double deviationSum = 0;
        for (int i = 0; i < n; i++) {
            deviations[i] = Math.abs(values[i] - median);
            deviationSum += deviations[i];
        }
        double mad = MAD_CONSISTENCY * median(deviations);
        double maxDeviation = Arrays.stream(deviations).max().orElse(0);
        double scale = mad;
        if (!(mad > 0) || Double.isInfinite(maxDeviation / mad)) {
            if (maxDeviation == 0) {
                scale = 0;
                notes.add("All converged labels have the same L1 norm: every anomaly index is 0.");
            } else {
                scale = MEAN_AD_CONSISTENCY * deviationSum / n;
                notes.add(String.format(Locale.ROOT, "The MAD is %s (most L1 norms are equal), so anomaly indices "
                        + "divide by the mean absolute deviation times sqrt(pi/2) = %.6g instead.",
                        mad == 0 ? "0" : "vanishingly small", scale));
            }
        }
        List<Double> indices = new ArrayList<>(l1Norms.size());
        for (Double v : l1Norms) {
            if (v == null) {
                indices.add(null);
            } else {
                double deviation = Math.abs(v - median);
                indices.add(deviation == 0 ? 0.0 : deviation / scale);
            }
        }
        return new Result(l1Norms, median, mad, scale, threshold, indices, notes);
    }

    /** The median of the values; the mean of the two middle ones for an even count. Does not change the input. */
    static double median(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("the median of no values is undefined");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static List<Double> nulls(int n) {
        return Collections.unmodifiableList(new ArrayList<>(Collections.nCopies(n, (Double) null)));
    }

    /**
     * What the test found. Lists are by position, as given to {@link #apply}; nulls stand for labels that did
     * not converge.
     *
     * @param l1Norms   the input
     * @param median    median L1 of the converged labels; null if none converged
     * @param mad       {@code 1.4826 * median(|L1 - median|)}; null if none converged
     * @param scale     what deviations were divided by: the MAD, or the fallback when the MAD is 0 (see
     *                  {@link AnomalyIndex}); 0 if all converged norms are equal; null if none converged
     * @param threshold the flagging threshold
     * @param indices   anomaly index per position
     * @param notes     caveats worth showing next to the verdict
     */
    public record Result(List<Double> l1Norms, Double median, Double mad, Double scale, double threshold,
                         List<Double> indices, List<String> notes) {

        public Result {
            l1Norms = Collections.unmodifiableList(new ArrayList<>(l1Norms));
            indices = Collections.unmodifiableList(new ArrayList<>(indices));
            notes = List.copyOf(notes);
            if (l1Norms.size() != indices.size()) {
                throw new IllegalArgumentException("expected one index per L1 norm (" + l1Norms.size()
                        + "), found " + indices.size());
            }
        }

        /** Whether the entry at {@code position} is flagged: its L1 is below the median and its index above the threshold. */
        public boolean flagged(int position) {
            Double l1 = l1Norms.get(position);
            Double index = indices.get(position);
            return l1 != null && index != null && l1 < median && index > threshold;
        }

        /** Positions of the flagged entries, ascending. */
        public List<Integer> flaggedPositions() {
            List<Integer> flagged = new ArrayList<>();
            for (int i = 0; i < l1Norms.size(); i++) {
                if (flagged(i)) {
                    flagged.add(i);
                }
            }
            return List.copyOf(flagged);
        }

        /** The largest anomaly index, whether or not its label is below the median; null if none converged. */
        public Double maxIndex() {
            return indices.stream().filter(v -> v != null).max(Double::compare).orElse(null);
        }

        /**
         * The L1 norm below which a label would be flagged, {@code median - threshold * scale}; null when that is
         * not positive (no label can be flagged) or nothing converged.
         */
        public Double flagBelowL1() {
            if (median == null || scale == null || scale == 0) {
                return null;
            }
            double limit = median - threshold * scale;
            return limit > 0 ? limit : null;
        }

        /** Number of entries that converged. */
        public int converged() {
            return (int) l1Norms.stream().filter(v -> v != null).count();
        }
    }
}
