package org.ncguard.mitigate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ncguard.profile.RocCurve;

/**
 * Thresholds and ROC figures of a score that should be high on stamped inputs and low on clean ones. An input is
 * suspicious when its score is strictly above the threshold.
 */
public final class RocMath {

    /** The false-positive rates the paper reports (Fig. 5a). */
    public static final double[] REPORTED_FPRS = {0.01, 0.05, 0.10, 0.20};

    /** Operating points stored in a profile's ROC: the reported ones and enough more to draw the curve. */
    static final double[] CURVE_FPRS = {0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.10, 0.20, 0.30, 0.50, 0.75, 1.0};

    private RocMath() {
    }

    /**
     * The threshold that lets at most {@code fpr} of {@code clean} scores above it: the clean score at rank {@code
     * ceil((1 - fpr) * n)} (1-based, ascending), the (1 - fpr) quantile without interpolation.
     */
    public static double threshold(double[] clean, double fpr) {
        if (clean.length == 0) {
            throw new IllegalArgumentException("need clean scores to set a threshold");
        }
        if (!(fpr >= 0 && fpr <= 1)) {
            throw new IllegalArgumentException("fpr must be in [0, 1], found " + fpr);
        }
        double[] sorted = clean.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil((1 - fpr) * sorted.length - 1e-9);
        if (rank <= 0) {
            return Math.nextDown(sorted[0]);
        }
        return sorted[rank - 1];
    }

    /** The share of {@code scores} strictly above {@code threshold}. */
    public static double shareAbove(double[] scores, double threshold) {
        if (scores.length == 0) {
            return 0;
        }
        int above = 0;
        for (double s : scores) {
            if (s > threshold) {
                above++;
            }
        }
        return above / (double) scores.length;
    }

    /**
     * Area under the ROC curve: the chance that a random stamped score is above a random clean one, ties counting
     * half (the Mann-Whitney statistic).
     */
    public static double auc(double[] clean, double[] stamped) {
        if (clean.length == 0 || stamped.length == 0) {
            throw new IllegalArgumentException("need clean and stamped scores, found " + clean.length + " and "
                    + stamped.length);
        }
        double[] c = clean.clone();
        Arrays.sort(c);
        double sum = 0;
        for (double s : stamped) {
            int below = lowerBound(c, s);
            int notAbove = upperBound(c, s);
            sum += below + 0.5 * (notAbove - below);
        }
        return sum / ((double) c.length * stamped.length);
    }

    /**
     * The ROC at {@link #CURVE_FPRS}: at each FPR, the threshold set on {@code clean} and the share of {@code stamped}
     * at or below it (missed).
     */
    public static RocCurve curve(double[] clean, double[] stamped) {
        List<RocCurve.Point> points = new ArrayList<>();
        for (double fpr : CURVE_FPRS) {
            double t = threshold(clean, fpr);
            points.add(new RocCurve.Point(fpr, 1 - shareAbove(stamped, t)));
        }
        return new RocCurve(auc(clean, stamped), points);
    }

    private static int lowerBound(double[] sorted, double v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int upperBound(double[] sorted, double v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
