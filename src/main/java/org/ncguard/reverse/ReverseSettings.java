package org.ncguard.reverse;

/**
 * Settings of the trigger search. {@link #defaults()} are the original Neural Cleanse code's: 1000 clean samples in
 * mini-batches of 32, up to 1000 steps, Adam with learning rate 0.1 and betas 0.5 / 0.9, and its cost schedule.
 *
 * @param samples clean images used; one step is one pass over them
 * @param batchSize images per mini-batch (a final partial batch is dropped, as the original draws whole batches)
 * @param maxSteps upper bound on steps per label
 * @param learningRate Adam's step size on the tanh-space mask and pattern
 * @param beta1 Adam's first-moment decay
 * @param beta2 Adam's second-moment decay
 * @param labelsPerGroup labels optimised together in one batch (independent losses, shared passes)
 * @param schedule the cost schedule
 */
public record ReverseSettings(int samples, int batchSize, int maxSteps, double learningRate, double beta1,
        double beta2, int labelsPerGroup, CostSchedule.Settings schedule) {

    public ReverseSettings {
        if (batchSize < 2) {
            throw new IllegalArgumentException("batchSize must be at least 2, found " + batchSize);
        }
        if (samples < batchSize) {
            throw new IllegalArgumentException("need at least one batch of " + batchSize + " samples, found " + samples);
        }
        if (maxSteps < 1 || labelsPerGroup < 1) {
            throw new IllegalArgumentException("maxSteps and labelsPerGroup must be positive, found " + maxSteps
                    + " and " + labelsPerGroup);
        }
    }

    public static ReverseSettings defaults() {
        return new ReverseSettings(1000, 32, 1000, 0.1, 0.5, 0.9, 10, CostSchedule.Settings.defaults());
    }

    public ReverseSettings withSamples(int n) {
        return new ReverseSettings(n, batchSize, maxSteps, learningRate, beta1, beta2, labelsPerGroup, schedule);
    }

    public ReverseSettings withMaxSteps(int steps) {
        return new ReverseSettings(samples, batchSize, steps, learningRate, beta1, beta2, labelsPerGroup, schedule);
    }

    public ReverseSettings withLabelsPerGroup(int labels) {
        return new ReverseSettings(samples, batchSize, maxSteps, learningRate, beta1, beta2, labels, schedule);
    }
}
