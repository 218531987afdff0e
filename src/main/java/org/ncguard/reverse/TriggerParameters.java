package org.ncguard.reverse;

import java.util.SplittableRandom;

/**
 * One label's trigger during the search: mask (H x W, shared by the channels) and pattern (C x H x W) in tanh space,
 * {@code value = tanh(raw)/(2-eps) + 0.5}, which keeps both strictly inside (0,1) as the original code does; each
 * with its own Adam.
 */
final class TriggerParameters {

    /** Keeps tanh(x)/(2-eps)+0.5 strictly inside (0,1). */
    static final double EPSILON = 1e-7;

    private final float[] maskRaw;
    private final float[] patternRaw;
    private final Adam maskAdam;
    private final Adam patternAdam;
    /** The current mask and pattern in [0,1], kept in step with the raw values. */
    final float[] mask;
    final float[] pattern;

    /** Uniform random mask and pattern in [0,1), mapped through atanh, as the original initialises them. */
    TriggerParameters(int area, int channels, SplittableRandom random, ReverseSettings settings) {
        maskRaw = randomRaw(random, area);
        patternRaw = randomRaw(random, area * channels);
        maskAdam = new Adam(area, settings.learningRate(), settings.beta1(), settings.beta2());
        patternAdam = new Adam(area * channels, settings.learningRate(), settings.beta1(), settings.beta2());
        mask = new float[area];
        pattern = new float[area * channels];
        refresh();
    }

    /**
     * One Adam step from the gradients with respect to the mask and pattern values (not their raw values): the
     * chain rule through tanh is applied here, in place on the given arrays.
     */
    void step(float[] maskGradient, float[] patternGradient) {
        toRaw(maskGradient, mask);
        toRaw(patternGradient, pattern);
        maskAdam.step(maskRaw, maskGradient);
        patternAdam.step(patternRaw, patternGradient);
        refresh();
    }

    /** The mask's L1 norm (its values are positive). */
    double l1() {
        double sum = 0;
        for (float m : mask) {
            sum += m;
        }
        return sum;
    }

    private void refresh() {
        toUnit(maskRaw, mask);
        toUnit(patternRaw, pattern);
    }

    /** d value / d raw = (1 - tanh(raw)^2) / (2-eps), with tanh(raw) = (value - 0.5) * (2-eps). */
    private static void toRaw(float[] gradient, float[] value) {
        for (int i = 0; i < gradient.length; i++) {
            double t = (value[i] - 0.5) * (2 - EPSILON);
            gradient[i] = (float) (gradient[i] * (1 - t * t) / (2 - EPSILON));
        }
    }

    /** Values in [0,1], clamped: float rounding can step past either end. */
    private static void toUnit(float[] raw, float[] unit) {
        for (int i = 0; i < raw.length; i++) {
            unit[i] = (float) Math.min(1, Math.max(0, Math.tanh(raw[i]) / (2 - EPSILON) + 0.5));
        }
    }

    private static float[] randomRaw(SplittableRandom random, int length) {
        float[] v = new float[length];
        for (int i = 0; i < length; i++) {
            double u = (random.nextDouble() - 0.5) * (2 - EPSILON);
            v[i] = (float) (0.5 * Math.log((1 + u) / (1 - u)));
        }
        return v;
    }
}
