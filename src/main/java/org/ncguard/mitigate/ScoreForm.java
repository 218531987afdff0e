package org.ncguard.mitigate;

import java.util.Arrays;

/**
 * How a label's score is built from the neurons its reversed trigger excites, as one linear form
 * {@code sum_i weights[i] * (a[neurons[i]] - center[i]) / scale[i]} (see {@link org.ncguard.profile.LabelProfile}).
 */
public enum ScoreForm {

    /**
     * The paper's filter: the mean activation of the top 1% of neurons by gap; weights {@code 1/k}, no centring, no
     * scaling. Neurons that are busy on clean inputs weigh as much as quiet ones, so their clean spread drowns the
     * trigger's signal.
     */
    PAPER("paper"),

    /**
     * ncguard's default: each neuron z-scored on clean data and weighted by its effect size ({@code gap / clean
     * std}), so that a neuron counts by how far the trigger moves it relative to its clean spread (the direction a
     * linear discriminant with a diagonal covariance takes).
     */
    NCGUARD("ncguard");

    /** ncguard's default neuron count (see the README for the measurements behind it). */
    public static final int DEFAULT_NEURONS = 100;

    private final String id;

    ScoreForm(String id) {
        this.id = id;
    }

    /** The name stored in the profile's {@code score} field. */
    public String id() {
        return id;
    }

    /** The form named {@code id}. */
    public static ScoreForm of(String id) {
        for (ScoreForm f : values()) {
            if (f.id.equalsIgnoreCase(id)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown score '" + id + "', expected ncguard or paper");
    }

    /** The neurons this form uses by default on a layer of {@code size}: 1% for the paper, else 100. */
    public int defaultNeurons(int size) {
        return this == PAPER ? Math.max(1, (int) Math.ceil(size * 0.01)) : Math.min(size, DEFAULT_NEURONS);
    }

    /**
     * The linear form over the {@code k} neurons with the largest gaps.
     *
     * @param gaps the ranking, measured on the ranking slice
     * @param k    neurons to use, at most the layer's size
     */
    public LinearScore build(NeuronGaps gaps, int k) {
        int[] neurons = gaps.top(k);
        int n = neurons.length;
        float[] weights = new float[n];
        float[] center = new float[n];
        float[] scale = new float[n];
        float[] gapValues = new float[n];
        float floor = stdFloor(gaps.cleanStd());
        for (int i = 0; i < n; i++) {
            int neuron = neurons[i];
            gapValues[i] = gaps.gap(neuron);
            if (this == PAPER) {
                weights[i] = 1f / n;
                center[i] = 0;
                scale[i] = 1;
            } else {
                scale[i] = Math.max(gaps.cleanStd()[neuron], floor);
                center[i] = gaps.cleanMean()[neuron];
                weights[i] = gapValues[i] / scale[i];
            }
        }
        return new LinearScore(neurons, weights, center, scale, gapValues);
    }

    /**
     * The smallest spread a neuron is scaled by: a tenth of the layer's median non-zero clean std. A neuron that is
     * (almost) silent on clean data would otherwise turn any activation into an enormous z-score.
     */
    static float stdFloor(float[] std) {
        float[] positive = new float[std.length];
        int count = 0;
        for (float s : std) {
            if (s > 0) {
                positive[count++] = s;
            }
        }
        if (count == 0) {
            return 1f;
        }
        float[] sorted = Arrays.copyOf(positive, count);
        Arrays.sort(sorted);
        return 0.1f * sorted[count / 2];
    }

    /**
     * A built form: the arrays of a {@link org.ncguard.profile.LabelProfile} before its threshold is set.
     *
     * @param neurons penultimate indices
     * @param weights one per neuron
     * @param center  one per neuron
     * @param scale   one per neuron, positive
     * @param gaps    each neuron's gap, stamped minus clean
     */
    public record LinearScore(int[] neurons, float[] weights, float[] center, float[] scale, float[] gaps) {

        /** The score of one activation vector. */
        public double score(float[] a) {
            double s = 0;
            for (int i = 0; i < neurons.length; i++) {
                s += weights[i] * (a[neurons[i]] - center[i]) / scale[i];
            }
            return s;
        }

        /** The scores of many. */
        public double[] scores(Penultimates p) {
            double[] out = new double[p.count()];
            for (int i = 0; i < out.length; i++) {
                out[i] = score(p.rows()[i]);
            }
            return out;
        }
    }
}
