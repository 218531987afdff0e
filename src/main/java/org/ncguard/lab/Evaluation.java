package org.ncguard.lab;

/**
 * How a classifier did on a test set.
 *
 * @param samples test images scored
 * @param correct images classified as their true label
 * @param attackSamples stamped images whose true label is not the target (0 without a trigger)
 * @param attackHits stamped images classified as the target
 * @param withTrigger whether a trigger was tried at all
 */
public record Evaluation(int samples, int correct, int attackSamples, int attackHits, boolean withTrigger) {

    public Evaluation {
        if (correct < 0 || correct > samples || attackHits < 0 || attackHits > attackSamples) {
            throw new IllegalArgumentException("counts out of range: " + correct + " of " + samples + ", "
                    + attackHits + " of " + attackSamples);
        }
    }

    /** Share of test images classified correctly, in [0, 1]. */
    public double accuracy() {
        return samples == 0 ? 0 : (double) correct / samples;
    }

    /**
     * Share of stamped non-target images classified as the target, in [0, 1]; null without a trigger (or when
     * every test image already has the target label).
     */
    public Double attackSuccess() {
        return withTrigger && attackSamples > 0 ? (double) attackHits / attackSamples : null;
    }
}
