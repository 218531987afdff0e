package org.ncguard.reverse;

/**
 * The result of the trigger search for one label: the smallest mask that reached the success threshold (or, if
 * none did, the last one, marked not converged), with its pattern.
 */
record LabelOutcome(int label, boolean converged, double l1, double attackSuccess, int steps, double seconds,
        float[] mask, float[] pattern) {}
