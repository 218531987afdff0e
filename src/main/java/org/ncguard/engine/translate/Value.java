package org.ncguard.engine.translate;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A tensor during translation: either a node of the SameDiff graph with its static shape (-1 where the batch
 * goes), or a constant already computed in Java (shape arithmetic, Constant nodes, initializers).
 */
final class Value {

    /** Stands for the batch size inside folded shape tensors (Shape -> Gather -> Concat -> Reshape chains). */
    static final long BATCH = Long.MIN_VALUE;

    private final SDVariable variable;
    private final INDArray constant;
    private final long[] shape;

    private Value(SDVariable variable, INDArray constant, long[] shape) {
        this.variable = variable;
        this.constant = constant;
        this.shape = shape;
    }

    static Value dynamic(SDVariable variable, long[] shape) {
        return new Value(variable, null, shape.clone());
    }

    static Value constant(INDArray constant) {
        return new Value(null, constant, constant.shape());
    }

    boolean isConstant() {
        return constant != null;
    }

    SDVariable variable() {
        return variable;
    }

    INDArray constant() {
        return constant;
    }

    long[] shape() {
        return shape.clone();
    }

    int rank() {
        return shape.length;
    }
}
