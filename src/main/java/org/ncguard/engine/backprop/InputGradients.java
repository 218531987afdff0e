package org.ncguard.engine.backprop;

import org.ncguard.NcguardException;
import org.ncguard.engine.OnnxModel;
import org.slf4j.LoggerFactory;

/**
 * Logits and the input gradient of a cross-entropy loss, for a batch of images: what a trigger search needs from
 * a model, and nothing of its weights.
 */
public interface InputGradients extends AutoCloseable {

    /**
     * For {@code n} images (the model's layout, preprocessing applied) and their targets ({@code n x labels}, each
     * row a distribution, usually one-hot): fills {@code logits} ({@code n x labels}) and {@code gradient} (as the
     * images) with, per image, the gradient of CE(softmax(logits_i), targets_i) with respect to that image.
     */
    void compute(float[] images, int n, float[] targets, float[] logits, float[] gradient);

    /** Which engine computes the gradients, for logs and reports. */
    String engine();

    @Override
    void close();

    /**
     * ONNX Runtime running the model extended with its backward pass ({@link BackwardGraph}) when every op between
     * input and logits has a backward rule, SameDiff otherwise.
     */
    static InputGradients open(OnnxModel model, int threads) throws NcguardException {
        try {
            return onnxRuntime(model, threads);
        } catch (NcguardException unsupported) {
            LoggerFactory.getLogger(InputGradients.class)
                    .info("{}; computing gradients with SameDiff instead", unsupported.getMessage());
            return sameDiff(model);
        }
    }

    /** ONNX Runtime on the model extended with its backward pass; fails when an op has no backward rule. */
    static InputGradients onnxRuntime(OnnxModel model, int threads) throws NcguardException {
        return new OrtInputGradients(model, BackwardGraph.build(model), threads);
    }

    /** SameDiff's automatic differentiation of the translated model (ND4J's own thread setting). */
    static InputGradients sameDiff(OnnxModel model) throws NcguardException {
        return new SameDiffInputGradients(model);
    }
}
