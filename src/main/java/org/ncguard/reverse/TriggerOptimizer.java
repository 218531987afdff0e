package org.ncguard.reverse;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ncguard.NcguardException;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.OnnxModel;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Reverse-engineers the smallest trigger for a group of labels at once (Neural Cleanse, Wang et al. 2019),
 * following the original code's schedule: Adam on tanh-space mask and pattern, the {@link CostSchedule}, the
 * best-mask rule and early stop, each label with its own state.
 */
final class TriggerOptimizer {

    /** Told after every step of every label; may ask the search to stop (Ctrl-C). */
    interface Progress {
        void step(int label, int step, double attackSuccess, double l1, double cost);

        default boolean cancelled() {
            return false;
        }
    }

    private final OnnxModel model;
    private final ReverseSettings settings;
    private final float[] gain;
    private final float[] offset;

    /**
     * @param gain per-channel factor from canonical pixels [0,1] to the model's input
     * @param offset per-channel offset from canonical pixels to the model's input
     */
    TriggerOptimizer(OnnxModel model, ReverseSettings settings, float[] gain, float[] offset) {
        this.model = model;
        this.settings = settings;
        this.gain = gain.clone();
        this.offset = offset.clone();
    }

    /**
     * Searches triggers for {@code targets} together.
     *
     * @param images canonical clean images (CHW, values in [0,1], the model's channel count), {@code n} of them
     * @return one outcome per target, in order; null entries if cancelled before the label finished
     */
    LabelOutcome[] optimise(int[] targets, float[] images, int n, long seed, Progress progress) throws NcguardException {
        ImageShape shape = model.input().shape();
        int size = shape.size();
        int hw = shape.height() * shape.width();
        int labels = targets.length;
        int batch = settings.batchSize();
        TriggerGraph graph = new TriggerGraph(model, labels, gain, offset);
        var sd = graph.sameDiff();
        SplittableRandom random = new SplittableRandom(seed);

        INDArray maskRaw = sd.getVariable(TriggerGraph.MASK_RAW).getArr();
        INDArray patternRaw = sd.getVariable(TriggerGraph.PATTERN_RAW).getArr();
        maskRaw.assign(randomRaw(random, maskRaw.length()).reshape(maskRaw.shape()));
        patternRaw.assign(randomRaw(random, patternRaw.length()).reshape(patternRaw.shape()));
        Adam maskAdam = new Adam(maskRaw, settings.learningRate(), settings.beta1(), settings.beta2());
        Adam patternAdam = new Adam(patternRaw, settings.learningRate(), settings.beta1(), settings.beta2());

        INDArray oneHot = Nd4j.zeros(DataType.FLOAT, (long) labels * batch, model.labels());
        for (int l = 0; l < labels; l++) {
            for (int b = 0; b < batch; b++) {
                oneHot.putScalar((long) l * batch + b, targets[l], 1f);
            }
        }
        CostSchedule[] schedules = new CostSchedule[labels];
        boolean[] done = new boolean[labels];
        LabelOutcome[] outcomes = new LabelOutcome[labels];
        float[][] bestMask = new float[labels][];
        float[][] bestPattern = new float[labels][];
        double[] bestSuccess = new double[labels];
        double[] lastSuccess = new double[labels];
        double[] lastL1 = new double[labels];
        for (int l = 0; l < labels; l++) {
            schedules[l] = new CostSchedule(settings.schedule());
        }
        long start = System.nanoTime();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        int batches = n / batch;
        float[] batchPixels = new float[batch * size];
        int remaining = labels;
        for (int step = 0; step < settings.maxSteps() && remaining > 0; step++) {
            if (progress.cancelled()) {
                return outcomes;
            }
            shuffle(order, random);
            double[] correct = new double[labels];
            double[] l1Sum = new double[labels];
            float[] cost = new float[labels];
            for (int l = 0; l < labels; l++) {
                cost[l] = (float) schedules[l].cost();
            }
            INDArray costArray = Nd4j.createFromArray(cost);
            for (int b = 0; b < batches; b++) {
                for (int i = 0; i < batch; i++) {
                    System.arraycopy(images, order[b * batch + i] * size, batchPixels, i * size, size);
                }
                INDArray x = Nd4j.create(batchPixels, new long[] {batch, shape.channels(), shape.height(), shape.width()}, 'c');
                OutAndGrad result = sd.calculateGradientsAndOutputs(
                        Map.of(TriggerGraph.IMAGES, x, TriggerGraph.TARGETS, oneHot, TriggerGraph.COST, costArray),
                        List.of(TriggerGraph.LOGITS, TriggerGraph.L1),
                        List.of(TriggerGraph.MASK_RAW, TriggerGraph.PATTERN_RAW));
                maskAdam.step(maskRaw, result.getGradients().get(TriggerGraph.MASK_RAW));
                patternAdam.step(patternRaw, result.getGradients().get(TriggerGraph.PATTERN_RAW));
                INDArray predicted = result.getOutputs().get(TriggerGraph.LOGITS).argMax(1);
                INDArray l1 = result.getOutputs().get(TriggerGraph.L1);
                for (int l = 0; l < labels; l++) {
                    for (int i = 0; i < batch; i++) {
                        if (predicted.getInt(l * batch + i) == targets[l]) {
                            correct[l]++;
                        }
                    }
                    l1Sum[l] += l1.getDouble(l);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            for (int l = 0; l < labels; l++) {
                if (done[l]) {
                    continue;
                }
                double success = correct[l] / ((double) batches * batch);
                double l1 = l1Sum[l] / batches;
                lastSuccess[l] = success;
                lastL1[l] = l1;
                if (schedules[l].update(success, l1)) {
                    bestMask[l] = currentMask(maskRaw, l, hw);
                    bestPattern[l] = currentMask(patternRaw, l, size);
                    bestSuccess[l] = success;
                }
                progress.step(targets[l], step + 1, success, l1, schedules[l].cost());
                if (schedules[l].shouldStop() || step + 1 == settings.maxSteps()) {
                    done[l] = true;
                    remaining--;
                    outcomes[l] = outcome(targets[l], schedules[l], bestMask[l], bestPattern[l], bestSuccess[l],
                            lastSuccess[l], lastL1[l], maskRaw, patternRaw, l, hw, size, seconds / labels);
                }
            }
        }
        return outcomes;
    }

    private static LabelOutcome outcome(int label, CostSchedule schedule, float[] mask, float[] pattern,
            double bestSuccess, double lastSuccess, double lastL1, INDArray maskRaw, INDArray patternRaw, int l, int hw,
            int size, double seconds) {
        if (schedule.converged()) {
            return new LabelOutcome(label, true, schedule.bestL1(), bestSuccess, schedule.steps(), seconds, mask, pattern);
        }
        // Never reached the threshold: report the last trigger, flagged as not converged (never a small L1).
        return new LabelOutcome(label, false, lastL1, lastSuccess, schedule.steps(), seconds,
                currentMask(maskRaw, l, hw), currentMask(patternRaw, l, size));
    }

    /** Label l's slice of a tanh-space parameter, mapped to [0,1]. */
    private static float[] currentMask(INDArray raw, int l, int length) {
        INDArray slice = raw.get(org.nd4j.linalg.indexing.NDArrayIndex.point(l)).dup('c').reshape(length);
        return Transforms.tanh(slice, true).divi(2 - TriggerGraph.EPSILON).addi(0.5).toFloatVector();
    }

    /** Uniform values in [0,1) mapped through atanh, as the original initialises mask and pattern. */
    private static INDArray randomRaw(SplittableRandom random, long length) {
        float[] v = new float[(int) length];
        for (int i = 0; i < v.length; i++) {
            double u = (random.nextDouble() - 0.5) * (2 - TriggerGraph.EPSILON);
            v[i] = (float) (0.5 * Math.log((1 + u) / (1 - u)));
        }
        return Nd4j.createFromArray(v);
    }

    private static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
