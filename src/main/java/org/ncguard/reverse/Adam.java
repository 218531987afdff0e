package org.ncguard.reverse;

/**
 * Adam (Kingma and Ba) on one parameter vector, updated in place, with Keras's epsilon as the original Neural
 * Cleanse code used. The original gives every label a fresh optimiser: so does the search, one instance per label.
 */
final class Adam {

    private static final double EPSILON = 1e-7;

    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final float[] m;
    private final float[] v;
    private int t;

    Adam(int length, double learningRate, double beta1, double beta2) {
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.m = new float[length];
        this.v = new float[length];
    }

    void step(float[] parameter, float[] gradient) {
        t++;
        double rate = learningRate * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
        for (int i = 0; i < parameter.length; i++) {
            float g = gradient[i];
            m[i] = (float) (beta1 * m[i] + (1 - beta1) * g);
            v[i] = (float) (beta2 * v[i] + (1 - beta2) * g * g);
            parameter[i] -= (float) (rate * m[i] / (Math.sqrt(v[i]) + EPSILON));
        }
    }
}
