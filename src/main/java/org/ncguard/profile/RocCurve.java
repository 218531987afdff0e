package org.ncguard.profile;

import java.util.List;

/**
 * A filter's ROC at chosen operating points.
 *
 * @param auc    area under the ROC curve: the chance that a stamped input scores above a clean one
 * @param points the false-negative rate at each false-positive rate, ascending by FPR
 */
public record RocCurve(double auc, List<Point> points) {

    public RocCurve {
        if (!(auc >= 0 && auc <= 1)) {
            throw new IllegalArgumentException("auc must be in [0, 1], found " + auc);
        }
        points = List.copyOf(points == null ? List.of() : points);
    }

    /** The FNR at the point whose FPR is closest to {@code fpr}. */
    public double fnrAt(double fpr) {
        Point best = null;
        for (Point p : points) {
            if (best == null || Math.abs(p.fpr() - fpr) < Math.abs(best.fpr() - fpr)) {
                best = p;
            }
        }
        if (best == null) {
            throw new IllegalStateException("the ROC curve has no points");
        }
        return best.fnr();
    }

    /** One operating point: at this false-positive rate, this share of stamped inputs is missed. */
    public record Point(double fpr, double fnr) {
        public Point {
            if (!(fpr >= 0 && fpr <= 1) || !(fnr >= 0 && fnr <= 1)) {
                throw new IllegalArgumentException("fpr and fnr must be in [0, 1], found " + fpr + " and " + fnr);
            }
        }
    }
}
