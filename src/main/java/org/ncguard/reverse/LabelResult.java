package org.ncguard.reverse;

/**
 * What the trigger optimisation found for one label.
 *
 * @param label         the target label, from 0
 * @param l1            L1 norm of the best mask that reached the attack-success target; null if the label did not
 *                      converge
 * @param attackSuccess fraction of clean samples the best trigger sent to the label, in [0, 1] (for a label that
 *                      did not converge: the best fraction it reached)
 * @param steps         optimisation steps run (one step is one pass over the clean samples)
 * @param seconds       wall-clock time spent on this label
 * @param anomalyIndex  the label's anomaly index, filled in by {@link ScanReport.Builder}; null before that and
 *                      for labels that did not converge
 * @param converged     whether the optimisation ever reached the attack-success target; exactly then {@code l1}
 *                      is present
 * @param naturalShare  for an outlier, what {@link NaturalFeatureCheck} measured: the share of stamped clean images
 *                      that the model places among the label's own clean images; null when not checked
 * @param transfer      for a label whose trigger looks natural, what {@link TransferCheck} measured: the share of
 *                      stamped clean images of other labels that a reference model nobody poisoned sends to the
 *                      label; null when not measured
 */
public record LabelResult(int label, Double l1, double attackSuccess, int steps, double seconds, Double anomalyIndex,
                          boolean converged, Double naturalShare, Double transfer) {

    public LabelResult {
        if (label < 0) {
            throw new IllegalArgumentException("label must be >= 0, found " + label);
        }
        if (converged) {
            if (l1 == null || !(l1 >= 0) || l1.isInfinite()) {
                throw new IllegalArgumentException("label " + label + " converged, so it needs a finite L1 norm >= 0,"
                        + " found " + l1);
            }
        } else {
            if (l1 != null) {
                throw new IllegalArgumentException("label " + label + " did not converge, so it has no L1 norm,"
                        + " found " + l1);
            }
            if (anomalyIndex != null) {
                throw new IllegalArgumentException("label " + label + " did not converge, so it has no anomaly index,"
                        + " found " + anomalyIndex);
            }
        }
        if (!(attackSuccess >= 0 && attackSuccess <= 1)) {
            throw new IllegalArgumentException("attack success of label " + label + " must be in [0, 1], found "
                    + attackSuccess);
        }
        if (steps < 0) {
            throw new IllegalArgumentException("steps of label " + label + " must be >= 0, found " + steps);
        }
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("seconds of label " + label + " must be finite and >= 0, found "
                    + seconds);
        }
        if (anomalyIndex != null && (!(anomalyIndex >= 0) || anomalyIndex.isInfinite())) {
            throw new IllegalArgumentException("anomaly index of label " + label + " must be finite and >= 0, found "
                    + anomalyIndex);
        }
        if (naturalShare != null && !(naturalShare >= 0 && naturalShare <= 1)) {
            throw new IllegalArgumentException("natural share of label " + label + " must be in [0, 1], found "
                    + naturalShare);
        }
        if (transfer != null && !(transfer >= 0 && transfer <= 1)) {
            throw new IllegalArgumentException("transfer of label " + label + " must be in [0, 1], found " + transfer);
        }
    }

    /** A label whose best trigger reached the attack-success target with a mask of norm {@code l1}. */
    public static LabelResult converged(int label, double l1, double attackSuccess, int steps, double seconds) {
        return new LabelResult(label, l1, attackSuccess, steps, seconds, null, true, null, null);
    }

    /** A label whose optimisation never reached the attack-success target. */
    public static LabelResult notConverged(int label, double attackSuccess, int steps, double seconds) {
        return new LabelResult(label, null, attackSuccess, steps, seconds, null, false, null, null);
    }

    /** This result with its anomaly index set (or cleared, with null). */
    public LabelResult withAnomalyIndex(Double index) {
        return new LabelResult(label, l1, attackSuccess, steps, seconds, index, converged, naturalShare, transfer);
    }

    /** This result with the natural-feature check's share set. */
    public LabelResult withNaturalShare(double share) {
        return new LabelResult(label, l1, attackSuccess, steps, seconds, anomalyIndex, converged, share, transfer);
    }

    /** This result with the transfer check's share set. */
    public LabelResult withTransfer(double share) {
        return new LabelResult(label, l1, attackSuccess, steps, seconds, anomalyIndex, converged, naturalShare, share);
    }
}
