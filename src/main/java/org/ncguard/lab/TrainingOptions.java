package org.ncguard.lab;

/**
 * How to train: epochs, mini-batch size, Adam's learning rate, the seed of everything random (initial weights,
 * data order, which images are poisoned), and whether the convolutions' filters and biases are left as they are
 * (fine-tuning only the layers around and after them).
 */
public record TrainingOptions(int epochs, int batch, double learningRate, long seed, boolean frozenConvolutions) {

    /** Options that train every weight. */
    public TrainingOptions(int epochs, int batch, double learningRate, long seed) {
        this(epochs, batch, learningRate, seed, false);
    }

    public TrainingOptions {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, found " + epochs);
        }
        if (batch < 2) {
            throw new IllegalArgumentException("batch size must be at least 2 (ND4J's gradients are wrong for "
                    + "batches of 1), found " + batch);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, found " + learningRate);
        }
    }
}
