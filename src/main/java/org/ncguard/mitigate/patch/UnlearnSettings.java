package org.ncguard.mitigate.patch;

/**
 * How unlearning fine-tunes.
 *
 * @param fraction      share of the training data used, in (0, 1] (the paper: 10%)
 * @param stampedShare  share of each batch stamped with a reversed trigger, keeping its true label (the paper: 20%)
 * @param epochs        passes over that data (the paper: 1)
 * @param batch         mini-batch size
 * @param learningRate  Adam's learning rate
 * @param reversals     reversed triggers per flagged label to stamp with: the scan's, plus {@code reversals - 1}
 *                      found again with other seeds ({@link MoreReversals})
 * @param seed          seed of the data choice, the batch order and the stamping
 */
public record UnlearnSettings(double fraction, double stampedShare, int epochs, int batch, double learningRate,
        int reversals, long seed) {

    /**
     * Reversed triggers per flagged label by default. The paper stamps with the scan's one; on a BadNets Fashion-MNIST
     * model (4x4 square) that left the real trigger 18.2% attack success, three (two more searches) 1.8%.
     */
    public static final int DEFAULT_REVERSALS = 3;

    public UnlearnSettings {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1], found " + fraction);
        }
        if (!(stampedShare >= 0 && stampedShare <= 1)) {
            throw new IllegalArgumentException("stamped share must be in [0, 1], found " + stampedShare);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, found " + epochs);
        }
        if (batch < 2) {
            throw new IllegalArgumentException("batch must be at least 2, found " + batch);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, found " + learningRate);
        }
        if (reversals < 1) {
            throw new IllegalArgumentException("reversals must be at least 1 (the scan's trigger), found " + reversals);
        }
    }
}
