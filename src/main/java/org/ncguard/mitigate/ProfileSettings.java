package org.ncguard.mitigate;

/**
 * How {@code ncguard profile} builds a guard profile.
 *
 * @param fpr     false-positive rate the thresholds are set at, on clean calibration data
 * @param form    the score written into the profile
 * @param neurons neurons per label; null for the form's default
 * @param samples clean images used in all, split into three equal disjoint slices: ranking, calibration, held out
 * @param seed    seed of the split
 */
public record ProfileSettings(double fpr, ScoreForm form, Integer neurons, int samples, long seed) {

    /** Clean images per slice below which thresholds and ROC figures mean little. */
    public static final int MIN_SLICE = 20;

    public ProfileSettings {
        if (!(fpr > 0 && fpr < 1)) {
            throw new IllegalArgumentException("fpr must be in (0, 1), found " + fpr);
        }
        if (form == null) {
            throw new IllegalArgumentException("score form is required");
        }
        if (neurons != null && neurons < 1) {
            throw new IllegalArgumentException("neurons must be >= 1, found " + neurons);
        }
        if (samples < 3 * MIN_SLICE) {
            throw new IllegalArgumentException("samples must be >= " + 3 * MIN_SLICE + " (three slices of "
                    + MIN_SLICE + "), found " + samples);
        }
    }

    /** The paper's 5% FPR, ncguard's score, 3000 clean images, seed 1. */
    public static ProfileSettings defaults() {
        return new ProfileSettings(0.05, ScoreForm.NCGUARD, null, 3000, 1);
    }

    /** Neurons the given form uses on a layer of {@code size}. */
    public int neuronsFor(ScoreForm f, int size) {
        return Math.min(size, neurons != null && f == form ? neurons : f.defaultNeurons(size));
    }
}
