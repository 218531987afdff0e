package org.ncguard.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An ONNX classifier rebuilt as a SameDiff graph, so that gradients flow to its input (and to anything a later
 * stage puts upstream of it, such as a trigger mask) and to its weights.
 *
 * <p>{@link #parameters()} maps each float initializer of the ONNX file to its trainable variable; writing their
 * values back with {@link OnnxTensors#withInitializers} gives the ONNX file of a trained or patched model.
 */
public final class DifferentiableModel {

    private final OnnxModel model;
    private final SameDiff sd;
    private final SDVariable input;
    private final SDVariable output;
    private final SDVariable logits;
    private final SDVariable penultimate;
    private final Map<String, SDVariable> parameters;
    private final List<BatchStatistics> batchStatistics;

    public DifferentiableModel(OnnxModel model, SameDiff sd, SDVariable input, SDVariable output, SDVariable logits,
            SDVariable penultimate, Map<String, SDVariable> parameters, List<BatchStatistics> batchStatistics) {
        this.model = model;
        this.sd = sd;
        this.input = input;
        this.output = output;
        this.logits = logits;
        this.penultimate = penultimate;
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        this.batchStatistics = List.copyOf(batchStatistics);
    }

    public OnnxModel model() {
        return model;
    }

    public SameDiff sameDiff() {
        return sd;
    }

    /** What the translated graph reads as the model's input: a placeholder, or a caller's expression. */
    public SDVariable input() {
        return input;
    }

    public SDVariable output() {
        return output;
    }

    /** Pre-softmax scores: what a cross-entropy loss should be computed on. */
    public SDVariable logits() {
        return logits;
    }

    public SDVariable penultimate() {
        return penultimate;
    }

    /** Trainable weights by ONNX initializer name. */
    public Map<String, SDVariable> parameters() {
        return parameters;
    }

    /** The batch-norm nodes' batch statistics when translated for training; empty otherwise. */
    public List<BatchStatistics> batchStatistics() {
        return batchStatistics;
    }

    /** Current values of the weights, by initializer name. */
    public Map<String, INDArray> parameterValues() {
        Map<String, INDArray> values = new LinkedHashMap<>();
        parameters.forEach((name, v) -> values.put(name, v.getArr()));
        return values;
    }

    /**
     * Runs the graph on a batch (model layout, preprocessing applied) when the input is a placeholder, returning
     * the model's output, one row per image.
     */
    public float[][] forward(float[] pixels, int n) {
        INDArray batch = Nd4j.create(pixels, model.input().shape().batchShape(n), 'c');
        INDArray out = sd.output(Map.of(input.name(), batch), output.name()).get(output.name());
        return out.toFloatMatrix();
    }
}
