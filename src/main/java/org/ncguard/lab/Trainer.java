package org.ncguard.lab;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.ncguard.NcguardException;
import org.ncguard.data.Batch;
import org.ncguard.data.ImageSource;
import org.ncguard.data.Preprocessor;
import org.ncguard.engine.DifferentiableModel;
import org.ncguard.engine.Gradients;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.OnnxTensors;
import org.ncguard.engine.translate.GraphTranslator;
import org.ncguard.onnx.Onnx.NodeProto;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Trains the weights of an ONNX classifier (all of them, or all but the convolutions' with
 * {@link TrainingOptions#frozenConvolutions()}) with mini-batch Adam on a softmax cross-entropy loss, on the engine's
 * differentiable copy of the graph; a source that is {@link TwinnedBatches} adds its twin term to the loss.
 *
 * <p>Each epoch visits the training images in a fresh random order drawn from the seed; a poisoner, if given,
 * stamps and relabels a share of each batch after it is read. Images and labels reach SameDiff as placeholders
 * (a batch held in a variable made steps far slower), and no step ever sees a single image: at least one of
 * ND4J's gradients (strided_slice) is wrong for a batch of 1, so a final batch of 1 joins the batch before it.
 * Batch normalisation normalises with each batch's statistics and averages them into the running statistics that
 * the written model uses, as PyTorch's train() mode does.
 */
public final class Trainer {

    private static final String TWINS = "twins";

    private final TrainingOptions options;

    public Trainer(TrainingOptions options) {
        this.options = options;
    }

    /**
     * Trains {@code model} on {@code data}, preprocessed by {@code preprocessor}; {@code poisoner} is null for a
     * clean run. The model's labels must cover the data's.
     */
    public TrainedModel train(OnnxModel model, ImageSource data, Preprocessor preprocessor, Poisoner poisoner)
            throws NcguardException {
        preprocessor.requireCompatible(data.shape());
        if (data.count() < 2) {
            throw new NcguardException(data.name() + " holds " + data.count() + " image(s); training needs at "
                    + "least 2");
        }
        int labels = model.labels();
        if (data.labelCount() > labels) {
            throw new NcguardException(data.name() + " has " + data.labelCount() + " labels but the model has "
                    + labels + " outputs");
        }
        SameDiff sd = SameDiff.create();
        SDVariable images = sd.placeHolder("images", DataType.FLOAT, model.input().dims());
        SDVariable onehot = sd.placeHolder("labels", DataType.FLOAT, -1, labels);
        DifferentiableModel net = GraphTranslator.translateForTraining(model, sd, images);
        RunningStatistics running = RunningStatistics.of(model, net.batchStatistics());
        SDVariable loss = sd.loss().softmaxCrossEntropy("crossEntropy", onehot, net.logits(), null);
        TwinnedBatches twinned = data instanceof TwinnedBatches t && t.twinWeight() > 0 ? t : null;
        if (twinned != null) {
            loss = loss.add(twinTerm(sd, net, twinned));
        }
        loss = sd.identity("loss", loss);
        sd.setLossVariables(loss);

        Map<String, GradientUpdater<?>> adam = new LinkedHashMap<>();
        List<String> variables = new ArrayList<>();
        Adam config = new Adam(options.learningRate());
        Set<String> frozen = options.frozenConvolutions() ? convolutionWeights(model) : Set.of();
        for (SDVariable w : net.parameters().values()) {
            if (frozen.contains(w.name())) {
                continue;
            }
            INDArray value = w.getArr();
            AdamUpdater updater = new AdamUpdater(config);
            updater.setStateViewArray(Nd4j.zeros(DataType.FLOAT, 1, config.stateSize(value.length())), value.shape(),
                    value.ordering(), true);
            adam.put(w.name(), updater);
            variables.add(w.name());
        }
        List<String> outputs = new ArrayList<>(List.of(loss.name(), net.logits().name()));
        outputs.addAll(running.outputs());
        Gradients.prepare(sd);

        SplittableRandom order = new SplittableRandom(options.seed());
        TrainingProgress progress = new TrainingProgress(options.epochs(), batches(data.count()).size());
        double[] epochSeconds = new double[options.epochs()];
        long poisoned = 0;
        int iteration = 0;
        double lastLoss = Double.NaN;
        double lastAccuracy = Double.NaN;
        for (int epoch = 0; epoch < options.epochs(); epoch++) {
            long start = System.nanoTime();
            int[] permutation = permutation(data.count(), order);
            List<int[]> plan = batches(data.count());
            double lossSum = 0;
            long correct = 0;
            long seen = 0;
            for (int b = 0; b < plan.size(); b++) {
                int[] range = plan.get(b);
                int[] indices = new int[range[1] - range[0]];
                System.arraycopy(permutation, range[0], indices, 0, indices.length);
                Batch batch = data.batch(indices);
                if (poisoner != null) {
                    poisoned += poisoner.poison(batch);
                }
                int n = batch.count();
                INDArray x = Nd4j.create(preprocessor.apply(batch), model.input().shape().batchShape(n), 'c');
                Map<String, INDArray> feed = new HashMap<>(Map.of(images.name(), x, onehot.name(),
                        oneHot(batch.labels(), labels)));
                if (twinned != null) {
                    feed.put(TWINS, twinMatrix(twinned.twins(n)));
                }
                OutAndGrad step = sd.calculateGradientsAndOutputs(feed, outputs, variables);
                for (String name : variables) {
                    INDArray gradient = step.getGradients().get(name);
                    adam.get(name).applyUpdater(gradient, iteration, epoch);
                    sd.getVariable(name).getArr().subi(gradient);
                }
                running.update(step.getOutputs(), n);
                iteration++;
                lossSum += step.getOutputs().get(loss.name()).getDouble(0) * n;
                correct += correct(step.getOutputs().get(net.logits().name()), batch.labels());
                seen += n;
                progress.batchDone(epoch, b + 1, lossSum / seen, (double) correct / seen);
            }
            epochSeconds[epoch] = (System.nanoTime() - start) / 1e9;
            lastLoss = lossSum / seen;
            lastAccuracy = (double) correct / seen;
            progress.epochDone(epoch, epochSeconds[epoch], lastLoss, lastAccuracy);
        }
        if (!Double.isFinite(lastLoss)) {
            throw new NcguardException("training diverged (loss " + lastLoss + "); try a smaller --lr than "
                    + options.learningRate());
        }
        Map<String, INDArray> initializers = new LinkedHashMap<>(net.parameterValues());
        initializers.putAll(running.values());
        return new TrainedModel(OnnxTensors.withInitializers(model.proto(), initializers), epochSeconds, lastLoss,
                lastAccuracy, data.count(), poisoned);
    }

    /** The initializers that Conv nodes read: their filters and biases. */
    static Set<String> convolutionWeights(OnnxModel model) {
        Set<String> weights = new HashSet<>();
        for (NodeProto node : model.graph().proto().getNodeList()) {
            if (node.getOpType().equals("Conv")) {
                node.getInputList().stream().skip(1).filter(model.graph()::isInitializer).forEach(weights::add);
            }
        }
        return weights;
    }

    /**
     * {@code weight * sum(paired * ((h - twins h) / scale)^2) / (max(1, pairs) * units)}, with {@code h} the
     * penultimate activations and {@code twins} the batch's pairing matrix (row i has a 1 at its twin's column): the
     * mean squared distance of paired rows from their twins, per unit, in clean standard deviations. Both rows of a
     * pair are pulled: holding the twin fixed (a stop-gradient) cost a BadNets Fashion-MNIST model 6.9 points of
     * accuracy where pulling both cost 2.0, at the same weight.
     */
    private static SDVariable twinTerm(SameDiff sd, DifferentiableModel net, TwinnedBatches twinned) {
        float[] scale = twinned.unitScale();
        int units = scale.length;
        float[] inverse = new float[units];
        for (int u = 0; u < units; u++) {
            inverse[u] = 1f / scale[u];
        }
        SDVariable twins = sd.placeHolder(TWINS, DataType.FLOAT, -1, -1);
        SDVariable h = net.penultimate().reshape(-1, units);
        SDVariable paired = twins.sum(true, 1);
        SDVariable distance = h.sub(sd.mmul(twins, h)).mul(sd.constant(Nd4j.create(inverse, new long[] {1, units},
                'c'))).mul(paired);
        SDVariable pairs = sd.math().max(paired.sum(), sd.constant(Nd4j.scalar(1f)));
        return distance.mul(distance).sum().div(pairs).mul(twinned.twinWeight() / units);
    }

    /** The pairing matrix of one batch: row i has a 1 at column {@code twin[i]}, none where it is -1. */
    private static INDArray twinMatrix(int[] twin) {
        int n = twin.length;
        float[] matrix = new float[n * n];
        for (int i = 0; i < n; i++) {
            if (twin[i] >= 0) {
                matrix[i * n + twin[i]] = 1f;
            }
        }
        return Nd4j.create(matrix, new long[] {n, n}, 'c');
    }

    /** [from, to) of each batch: consecutive runs of the batch size, a final run of 1 merged into the one before. */
    List<int[]> batches(int count) {
        List<int[]> plan = new ArrayList<>();
        for (int from = 0; from < count; from += options.batch()) {
            plan.add(new int[] {from, Math.min(count, from + options.batch())});
        }
        int[] last = plan.get(plan.size() - 1);
        if (plan.size() > 1 && last[1] - last[0] == 1) {
            plan.remove(plan.size() - 1);
            plan.get(plan.size() - 1)[1] = last[1];
        }
        return plan;
    }

    /** A uniformly random order of {@code 0..n-1} (Fisher-Yates). */
    static int[] permutation(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static INDArray oneHot(int[] labels, int classes) {
        float[] y = new float[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            y[i * classes + labels[i]] = 1f;
        }
        return Nd4j.create(y, new long[] {labels.length, classes}, 'c');
    }

    private static int correct(INDArray logits, int[] labels) {
        float[][] scores = logits.toFloatMatrix();
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            int best = 0;
            for (int k = 1; k < scores[i].length; k++) {
                if (scores[i][k] > scores[i][best]) {
                    best = k;
                }
            }
            if (best == labels[i]) {
                correct++;
            }
        }
        return correct;
    }
}
