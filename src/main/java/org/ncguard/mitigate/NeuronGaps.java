package org.ncguard.mitigate;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * How much a trigger excites each penultimate neuron: its mean activation on stamped inputs minus its mean on the same
 * inputs clean (the paper's ranking for both the filter and pruning), with the clean mean and spread that centre and
 * scale a z-scored filter.
 *
 * @param cleanMean   per neuron, over the clean inputs
 * @param cleanStd    per neuron, over the clean inputs (population standard deviation)
 * @param stampedMean per neuron, over the stamped inputs
 */
public record NeuronGaps(float[] cleanMean, float[] cleanStd, float[] stampedMean) {

    public NeuronGaps {
        if (cleanMean.length != cleanStd.length || cleanMean.length != stampedMean.length) {
            throw new IllegalArgumentException("expected one mean, std and stamped mean per neuron, found "
                    + cleanMean.length + ", " + cleanStd.length + " and " + stampedMean.length);
        }
    }

    /** The gaps of {@code clean} and {@code stamped} activations (same features, any counts). */
    public static NeuronGaps measure(Penultimates clean, Penultimates stamped) {
        if (clean.count() == 0 || stamped.count() == 0) {
            throw new IllegalArgumentException("need clean and stamped activations, found " + clean.count() + " and "
                    + stamped.count());
        }
        int f = clean.features();
        if (stamped.features() != f) {
            throw new IllegalArgumentException("clean activations have " + f + " features, stamped ones "
                    + stamped.features());
        }
        double[] sum = new double[f];
        double[] sq = new double[f];
        double[] st = new double[f];
        for (float[] row : clean.rows()) {
            for (int i = 0; i < f; i++) {
                sum[i] += row[i];
                sq[i] += (double) row[i] * row[i];
            }
        }
        for (float[] row : stamped.rows()) {
            for (int i = 0; i < f; i++) {
                st[i] += row[i];
            }
        }
        float[] mean = new float[f];
        float[] std = new float[f];
        float[] stampedMean = new float[f];
        int n = clean.count();
        for (int i = 0; i < f; i++) {
            double m = sum[i] / n;
            mean[i] = (float) m;
            std[i] = (float) Math.sqrt(Math.max(0, sq[i] / n - m * m));
            stampedMean[i] = (float) (st[i] / stamped.count());
        }
        return new NeuronGaps(mean, std, stampedMean);
    }

    /** Number of neurons. */
    public int size() {
        return cleanMean.length;
    }

    /** Stamped minus clean mean activation of neuron {@code i}. */
    public float gap(int i) {
        return stampedMean[i] - cleanMean[i];
    }

    /** All neurons, largest gap first; ties keep the lower index first. */
    public int[] ranked() {
        return IntStream.range(0, size()).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -gap(i)).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).toArray();
    }

    /** The {@code k} neurons with the largest gaps. */
    public int[] top(int k) {
        return Arrays.copyOf(ranked(), Math.min(k, size()));
    }
}
