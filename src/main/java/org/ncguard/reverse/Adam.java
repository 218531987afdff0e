package org.ncguard.reverse;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam on one parameter array, updated in place. Kept here rather than in SameDiff's trainer because every label
 * starts with a fresh state and the loss weights change between steps.
 */
final class Adam {

    private static final double EPSILON = 1e-7;

    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final INDArray m;
    private final INDArray v;
    private int t;

    Adam(INDArray like, double learningRate, double beta1, double beta2) {
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.m = like.ulike().assign(0);
        this.v = like.ulike().assign(0);
    }

    void step(INDArray parameter, INDArray gradient) {
        t++;
        m.muli(beta1).addi(gradient.mul(1 - beta1));
        v.muli(beta2).addi(gradient.mul(gradient).muli(1 - beta2));
        double rate = learningRate * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
        parameter.subi(m.div(Transforms.sqrt(v, true).addi(EPSILON)).muli(rate));
    }
}
