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
 * @param twinWeight    weight of the twin term: stamped images are copies beside their originals, and the loss also
 *                      pulls a copy's penultimate activations and its original's together (0: the paper's unlearning,
 *                      stamped in place, cross-entropy only)
 * @param frozenConvolutions whether the convolutions' filters and biases are left as they are, so that only the
 *                      layers around and after them are fine-tuned (the paper fine-tunes every weight)
 * @param seed          seed of the data choice, the batch order and the stamping
 */
public record UnlearnSettings(double fraction, double stampedShare, int epochs, int batch, double learningRate,
        int reversals, double twinWeight, boolean frozenConvolutions, long seed) {

    /**
     * Reversed triggers per flagged label by default. The paper stamps with the scan's one; on a BadNets Fashion-MNIST
     * model (4x4 square) that left the real trigger 14.2% attack success. With the twin term, on 20% of the data for
     * one epoch, three left it 0.84-2.28% over three seeds, five 0.50-1.11% (10,000 test images).
     */
    public static final int DEFAULT_REVERSALS = 5;

    /**
     * The twin term's weight by default. On a BadNets Fashion-MNIST model, with three reversed triggers and every
     * weight tuned, the real trigger kept 0.84% attack success with the term at 0.2 and 8.28% without; with five
     * reversed triggers and the convolutions frozen, 0.76% at 1 and 1.06% at 0.2 (20% of the data for one epoch;
     * 10,000 test images; README, "patch").
     */
    public static final double DEFAULT_TWIN_WEIGHT = 1.0;

    /**
     * Whether the convolutions are frozen by default. Tuning them lets the model unlearn a reversed trigger in its
     * first layers, where what it learns carries over least to the real trigger: on 20% of the data for one epoch,
     * frozen, the real trigger kept 0.8-1.1% on three Fashion-MNIST models for at most 0.8 points, and 13% on a sign
     * model where tuning every weight left 29% (README, "patch").
     */
    public static final boolean DEFAULT_FROZEN_CONVOLUTIONS = true;

    /**
     * Share of the training data by default: all of it, where the paper took 10%. Two epochs over all 39,209 training
     * images took the sign model's real trigger to 1.0% where 20% for one epoch left 13% (README, "patch"); a model
     * bought or downloaded is often trained less than it could be, and unlearning is also what trains it further.
     */
    public static final double DEFAULT_FRACTION = 1.0;

    /** Share of each batch stamped by default: the paper's. */
    public static final double DEFAULT_STAMPED_SHARE = 0.2;

    /** Passes over the data by default (the paper: one): see {@link #DEFAULT_FRACTION}. */
    public static final int DEFAULT_EPOCHS = 2;

    /** Mini-batch size by default. */
    public static final int DEFAULT_BATCH = 32;

    /**
     * Adam's learning rate by default; {@code patch} redoes a run over its accuracy budget at a third of it (a
     * PyTorch-trained Fashion-MNIST model, every weight tuned, lost 2.3 points at this rate, 1 point at a third).
     */
    public static final double DEFAULT_LEARNING_RATE = 1e-3;

    /** Seed by default. */
    public static final long DEFAULT_SEED = 1;

    /** These settings at another learning rate. */
    public UnlearnSettings withLearningRate(double rate) {
        return new UnlearnSettings(fraction, stampedShare, epochs, batch, rate, reversals, twinWeight,
                frozenConvolutions, seed);
    }

    /** {@code ncguard patch}'s defaults. */
    public static UnlearnSettings defaults() {
        return new UnlearnSettings(DEFAULT_FRACTION, DEFAULT_STAMPED_SHARE, DEFAULT_EPOCHS, DEFAULT_BATCH,
                DEFAULT_LEARNING_RATE, DEFAULT_REVERSALS, DEFAULT_TWIN_WEIGHT, DEFAULT_FROZEN_CONVOLUTIONS,
                DEFAULT_SEED);
    }

    /**
     * The paper's unlearning: 10% of the data, 20% of each batch stamped in place with the scan's trigger, 1 epoch,
     * every weight tuned.
     */
    public static UnlearnSettings paper() {
        return new UnlearnSettings(0.1, 0.2, 1, 32, 1e-3, 1, 0, false, 1);
    }

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
        if (!(twinWeight >= 0) || Double.isInfinite(twinWeight)) {
            throw new IllegalArgumentException("twin weight must be 0 or more and finite, found " + twinWeight);
        }
        if (reversals < 1) {
            throw new IllegalArgumentException("reversals must be at least 1 (the scan's trigger), found " + reversals);
        }
    }
}
