package org.ncguard.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ncguard.NcguardException;
import org.ncguard.engine.BatchStatistics;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.OnnxTensors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The running mean and variance of every batch-norm node, averaged over the batches of a training run. */
final class RunningStatistics {

    private final List<BatchStatistics> nodes;
    private final Map<String, INDArray> values;

    private RunningStatistics(List<BatchStatistics> nodes, Map<String, INDArray> values) {
        this.nodes = nodes;
        this.values = values;
    }

    /** Starts from the running statistics stored in the model's initializers. */
    static RunningStatistics of(OnnxModel model, List<BatchStatistics> nodes) throws NcguardException {
        Map<String, INDArray> values = new LinkedHashMap<>();
        for (BatchStatistics node : nodes) {
            for (String name : List.of(node.runningMean(), node.runningVariance())) {
                var init = model.graph().initializer(name).orElseThrow(() -> new NcguardException(
                        "batch-norm statistics '" + name + "' of " + model.source() + " are not an initializer"));
                values.put(name, OnnxTensors.toArray(init).castTo(DataType.FLOAT).reshape(-1));
            }
        }
        return new RunningStatistics(nodes, values);
    }

    /** The graph outputs a training step must return for {@link #update}. */
    List<String> outputs() {
        List<String> names = new ArrayList<>();
        for (BatchStatistics node : nodes) {
            names.add(node.mean().name());
            names.add(node.variance().name());
        }
        return names;
    }

    /** Averages one step's batch statistics in; {@code images} is the batch size. */
    void update(Map<String, INDArray> outputs, int images) {
        for (BatchStatistics node : nodes) {
            long n = images * node.valuesPerImage();
            double unbiased = n > 1 ? (double) n / (n - 1) : 1;
            blend(node.runningMean(), outputs.get(node.mean().name()), 1, node.momentum());
            blend(node.runningVariance(), outputs.get(node.variance().name()), unbiased, node.momentum());
        }
    }

    private void blend(String name, INDArray batch, double factor, float momentum) {
        INDArray running = values.get(name);
        running.muli(momentum).addi(batch.reshape(-1).castTo(DataType.FLOAT).mul(factor * (1 - momentum)));
    }

    /** The running statistics by initializer name, to write into the trained model. */
    Map<String, INDArray> values() {
        return values;
    }
}
