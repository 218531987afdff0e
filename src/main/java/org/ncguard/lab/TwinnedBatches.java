package org.ncguard.lab;

/**
 * A training source whose batches pair some rows with a twin. Beside the cross-entropy, the trainer adds
 * {@link #twinWeight()} times the mean squared distance between a paired row's penultimate activations and its
 * twin's, unit by unit, in units of {@link #unitScale()}. Unlearning pairs a stamped copy with the image it was
 * stamped on, so the trigger's path through the penultimate layer is closed, not just outvoted at the logits.
 */
public interface TwinnedBatches {

    /** Weight of the twin term beside the cross-entropy; 0 turns it off. */
    double twinWeight();

    /** Per penultimate unit, the distance that counts as 1 (a clean standard deviation); all positive. */
    float[] unitScale();

    /** For the batch the source returned last, of {@code rows} rows: each row's twin, or -1 for none. */
    int[] twins(int rows);
}
