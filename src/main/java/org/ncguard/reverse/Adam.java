package org.ncguard.reverse;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam on a parameter array whose first dimension holds independent slots (one label's trigger each), updated in
 * place. Every slot has its own step count, so a slot can be reset for a new label while the others go on: the
 * original code gives every label a fresh optimiser.
 */
final class Adam {

    private static final double EPSILON = 1e-7;

    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final INDArray m;
    private final INDArray v;
    private final int[] t;

    Adam(INDArray like, double learningRate, double beta1, double beta2) {
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.m = like.ulike().assign(0);
        this.v = like.ulike().assign(0);
        this.t = new int[(int) like.size(0)];
    }

    /** An optimiser over {@code parameter} whose slots continue the given slots of this one, in that order. */
    Adam keep(int[] slots, INDArray parameter) {
        Adam next = new Adam(parameter, learningRate, beta1, beta2);
        for (int i = 0; i < slots.length; i++) {
            next.m.get(NDArrayIndex.point(i)).assign(m.get(NDArrayIndex.point(slots[i])));
            next.v.get(NDArrayIndex.point(i)).assign(v.get(NDArrayIndex.point(slots[i])));
            next.t[i] = t[slots[i]];
        }
        return next;
    }

    /** Forgets slot {@code s}'s history, as a fresh optimiser would have none. */
    void reset(int s) {
        m.get(NDArrayIndex.point(s)).assign(0);
        v.get(NDArrayIndex.point(s)).assign(0);
        t[s] = 0;
    }

    void step(INDArray parameter, INDArray gradient) {
        m.muli(beta1).addi(gradient.mul(1 - beta1));
        v.muli(beta2).addi(gradient.mul(gradient).muli(1 - beta2));
        INDArray direction = m.div(Transforms.sqrt(v, true).addi(EPSILON));
        for (int s = 0; s < t.length; s++) {
            t[s]++;
            double rate = learningRate * Math.sqrt(1 - Math.pow(beta2, t[s])) / (1 - Math.pow(beta1, t[s]));
            parameter.get(NDArrayIndex.point(s)).subi(direction.get(NDArrayIndex.point(s)).muli(rate));
        }
    }
}
