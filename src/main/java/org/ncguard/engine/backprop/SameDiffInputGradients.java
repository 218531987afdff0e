package org.ncguard.engine.backprop;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.ncguard.NcguardException;
import org.ncguard.engine.DifferentiableModel;
import org.ncguard.engine.Gradients;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.translate.GraphTranslator;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Input gradients from the SameDiff translation: slower than {@link OrtInputGradients}, but it covers every op the
 * translator does. SameDiff cannot differentiate with respect to a placeholder, so the images pass through the sum
 * with a variable of zeros, whose gradient is theirs.
 */
final class SameDiffInputGradients implements InputGradients {

    private static final String IMAGES = "images";
    private static final String SHIFT = "inputShift";
    private static final String TARGETS = "targets";

    private final OnnxModel model;
    private final SameDiff sd;
    private final String logits;
    private final SDVariable shift;

    SameDiffInputGradients(OnnxModel model) throws NcguardException {
        this.model = model;
        sd = SameDiff.create();
        long[] dims = model.input().dims();
        SDVariable images = sd.placeHolder(IMAGES, DataType.FLOAT, dims);
        dims[0] = 1;
        shift = sd.var(SHIFT, Nd4j.zeros(DataType.FLOAT, dims));
        DifferentiableModel net = GraphTranslator.translate(model, sd, images.add(shift));
        // Weights as constants: no time spent on gradients nobody reads.
        sd.convertToConstants(List.copyOf(net.parameters().values()));
        logits = net.logits().name();
        SDVariable targets = sd.placeHolder(TARGETS, DataType.FLOAT, -1, model.labels());
        SDVariable rows = sd.loss().softmaxCrossEntropy("crossEntropy", targets, net.logits(), null, LossReduce.NONE, 0.0);
        sd.setLossVariables(sd.sum(rows).rename("loss"));
        Gradients.prepare(sd);
    }

    @Override
    public void compute(float[] images, int n, float[] targets, float[] logitsOut, float[] gradient) {
        long[] shape = model.input().shape().batchShape(n);
        if (shift.getArr().size(0) != n) {
            shift.setArray(Nd4j.zeros(DataType.FLOAT, shape));
        }
        int size = model.input().shape().size();
        INDArray x = Nd4j.create(Arrays.copyOf(images, n * size), shape, 'c');
        INDArray t = Nd4j.create(Arrays.copyOf(targets, n * model.labels()), new long[] {n, model.labels()}, 'c');
        OutAndGrad result = sd.calculateGradientsAndOutputs(Map.of(IMAGES, x, TARGETS, t), List.of(logits), List.of(SHIFT));
        System.arraycopy(result.getOutputs().get(logits).dup('c').data().asFloat(), 0, logitsOut, 0, n * model.labels());
        System.arraycopy(result.getGradients().get(SHIFT).dup('c').data().asFloat(), 0, gradient, 0, n * size);
    }

    @Override
    public String engine() {
        return "samediff";
    }

    @Override
    public void close() {
        // SameDiff holds no native session; its arrays go with the garbage collector.
    }
}
