package org.ncguard.profile;

import java.util.Arrays;

/**
 * One suspicious label of a profile: a linear score over some penultimate neurons, and the threshold above which an
 * input is suspected of carrying that label's trigger.
 *
 * <p>{@code score(a) = sum_i weights[i] * (a[neurons[i]] - center[i]) / scale[i]}. Every variant (the paper's mean of
 * the top neurons, ncguard's z-scored and gap-weighted sum) is this one form, so the guard computes them all the same
 * way. Arrays are copied in and out.
 *
 * @param label     the label whose reversed trigger the neurons answer to
 * @param neurons   penultimate indices, most trigger-excited first
 * @param weights   one per neuron
 * @param center    subtracted from each activation
 * @param scale     divides each centred activation; positive
 * @param threshold an input whose score is above it is suspicious
 * @param gaps      mean activation of each neuron on stamped minus clean inputs (how it was ranked)
 * @param cleanMean mean score of the clean calibration inputs
 * @param cleanStd  standard deviation of those scores
 * @param roc       measured on held-out clean inputs against stamped ones
 */
public record LabelProfile(int label, int[] neurons, float[] weights, float[] center, float[] scale, double threshold,
                           float[] gaps, double cleanMean, double cleanStd, Roc roc) {

    public LabelProfile {
        if (label < 0) {
            throw new IllegalArgumentException("label must be >= 0, found " + label);
        }
        if (neurons == null || neurons.length == 0) {
            throw new IllegalArgumentException("label " + label + " needs at least one neuron");
        }
        int k = neurons.length;
        neurons = neurons.clone();
        weights = sameLength("weights", weights, k, label);
        center = sameLength("center", center, k, label);
        scale = sameLength("scale", scale, k, label);
        gaps = sameLength("gaps", gaps, k, label);
        for (int i = 0; i < k; i++) {
            if (neurons[i] < 0) {
                throw new IllegalArgumentException("neuron indices of label " + label + " must be >= 0, found "
                        + neurons[i]);
            }
            if (!(scale[i] > 0) || Float.isInfinite(scale[i])) {
                throw new IllegalArgumentException("scale values of label " + label + " must be positive and finite,"
                        + " found " + scale[i] + " at index " + i);
            }
            if (!Float.isFinite(weights[i]) || !Float.isFinite(center[i])) {
                throw new IllegalArgumentException("weights and center of label " + label + " must be finite, found "
                        + weights[i] + " and " + center[i] + " at index " + i);
            }
        }
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException("threshold of label " + label + " is not a number");
        }
        if (roc == null) {
            throw new IllegalArgumentException("roc of label " + label + " is required");
        }
    }

    private static float[] sameLength(String name, float[] values, int k, int label) {
        if (values == null || values.length != k) {
            throw new IllegalArgumentException(name + " of label " + label + " must have " + k + " values (one per "
                    + "neuron), found " + (values == null ? "none" : values.length));
        }
        return values.clone();
    }

    /** The score of an input whose penultimate activations are {@code activations}. */
    public double score(float[] activations) {
        double s = 0;
        for (int i = 0; i < neurons.length; i++) {
            s += weights[i] * (activations[neurons[i]] - center[i]) / scale[i];
        }
        return s;
    }

    /** Whether an input with this score is suspicious. */
    public boolean suspicious(double score) {
        return score > threshold;
    }

    @Override
    public int[] neurons() {
        return neurons.clone();
    }

    @Override
    public float[] weights() {
        return weights.clone();
    }

    @Override
    public float[] center() {
        return center.clone();
    }

    @Override
    public float[] scale() {
        return scale.clone();
    }

    @Override
    public float[] gaps() {
        return gaps.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelProfile p && label == p.label && Arrays.equals(neurons, p.neurons)
                && Arrays.equals(weights, p.weights) && Arrays.equals(center, p.center)
                && Arrays.equals(scale, p.scale) && Double.compare(threshold, p.threshold) == 0
                && Arrays.equals(gaps, p.gaps) && Double.compare(cleanMean, p.cleanMean) == 0
                && Double.compare(cleanStd, p.cleanStd) == 0 && roc.equals(p.roc);
    }

    @Override
    public int hashCode() {
        return 31 * Integer.hashCode(label) + Arrays.hashCode(neurons);
    }

    @Override
    public String toString() {
        return "LabelProfile[label=" + label + ", neurons=" + neurons.length + ", threshold=" + threshold + "]";
    }
}
