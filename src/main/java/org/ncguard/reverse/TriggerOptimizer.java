package org.ncguard.reverse;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.ncguard.NcguardException;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.OnnxModel;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Reverse-engineers the smallest trigger of each label (Neural Cleanse, Wang et al. 2019), following the original
 * code's schedule: Adam on tanh-space mask and pattern, the {@link CostSchedule}, the best-mask rule and early
 * stop, every label with its own state.
 *
 * <p>For speed, several labels share each pass: the graph holds {@code labelsPerGroup} slots, every mini-batch is
 * stamped with each slot's trigger, and a slot whose label finishes takes the next waiting label at once. When no
 * label is waiting and half the slots are idle, the busy ones move to a smaller graph, so that the last long searches
 * do not pay for idle slots.
 */
final class TriggerOptimizer {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TriggerOptimizer.class);

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

    /** What one slot is doing: its label, schedule, best trigger so far. */
    private static final class Slot {
        int label = -1;
        CostSchedule schedule;
        float[] bestMask;
        float[] bestPattern;
        double bestSuccess;
        double lastSuccess;
        double lastL1;
        double seconds;
        double correct;
        double l1Sum;

        boolean busy() {
            return label >= 0;
        }
    }

    /** The graph of one set of slots with its parameters, optimiser state and targets. */
    private final class Group {
        final SameDiff sd;
        final INDArray maskRaw;
        final INDArray patternRaw;
        final INDArray oneHot;
        final Adam maskAdam;
        final Adam patternAdam;
        final Slot[] slots;

        Group(int slotCount) throws NcguardException {
            sd = new TriggerGraph(model, slotCount, gain, offset).sameDiff();
            maskRaw = sd.getVariable(TriggerGraph.MASK_RAW).getArr();
            patternRaw = sd.getVariable(TriggerGraph.PATTERN_RAW).getArr();
            oneHot = Nd4j.zeros(DataType.FLOAT, (long) slotCount * settings.batchSize(), model.labels());
            maskAdam = new Adam(maskRaw, settings.learningRate(), settings.beta1(), settings.beta2());
            patternAdam = new Adam(patternRaw, settings.learningRate(), settings.beta1(), settings.beta2());
            slots = new Slot[slotCount];
        }

        /** A smaller group that carries on the busy slots exactly where they are. */
        Group(Group from, int[] busy) throws NcguardException {
            sd = new TriggerGraph(model, busy.length, gain, offset).sameDiff();
            maskRaw = sd.getVariable(TriggerGraph.MASK_RAW).getArr();
            patternRaw = sd.getVariable(TriggerGraph.PATTERN_RAW).getArr();
            oneHot = Nd4j.zeros(DataType.FLOAT, (long) busy.length * settings.batchSize(), model.labels());
            maskAdam = from.maskAdam.keep(busy, maskRaw);
            patternAdam = from.patternAdam.keep(busy, patternRaw);
            slots = new Slot[busy.length];
            for (int i = 0; i < busy.length; i++) {
                maskRaw.get(NDArrayIndex.point(i)).assign(from.maskRaw.get(NDArrayIndex.point(busy[i])));
                patternRaw.get(NDArrayIndex.point(i)).assign(from.patternRaw.get(NDArrayIndex.point(busy[i])));
                slots[i] = from.slots[busy[i]];
                target(i, slots[i].label);
            }
        }

        void target(int s, int label) {
            int batch = settings.batchSize();
            INDArray rows = oneHot.get(NDArrayIndex.interval((long) s * batch, (long) (s + 1) * batch), NDArrayIndex.all());
            rows.assign(0);
            rows.get(NDArrayIndex.all(), NDArrayIndex.point(label)).assign(1);
        }

        int[] busy() {
            return java.util.stream.IntStream.range(0, slots.length).filter(s -> slots[s].busy()).toArray();
        }
    }

    /**
     * Searches the triggers of {@code labels}, handing each outcome to {@code done} as soon as its label finishes.
     * Returns early, leaving the unfinished labels out, when {@code progress} says cancelled.
     *
     * @param images canonical clean images (CHW, values in [0,1], the model's channel count), {@code n} of them
     */
    void optimise(List<Integer> labels, float[] images, int n, long seed, Progress progress, Consumer<LabelOutcome> done)
            throws NcguardException {
        ImageShape shape = model.input().shape();
        int size = shape.size();
        int hw = shape.height() * shape.width();
        int batch = settings.batchSize();
        Deque<Integer> waiting = new ArrayDeque<>(labels);
        Group group = new Group(Math.min(settings.labelsPerGroup(), labels.size()));
        for (int s = 0; s < group.slots.length; s++) {
            group.slots[s] = new Slot();
            assign(group, s, waiting.poll(), seed);
        }
        SplittableRandom order = new SplittableRandom(seed);
        int[] indices = new int[n];
        for (int i = 0; i < n; i++) {
            indices[i] = i;
        }
        int batches = n / batch;
        float[] batchPixels = new float[batch * size];
        long[] batchShape = {batch, shape.channels(), shape.height(), shape.width()};
        long last = System.nanoTime();
        while (group.busy().length > 0) {
            if (progress.cancelled()) {
                return;
            }
            int[] busy = group.busy();
            if (waiting.isEmpty() && busy.length <= group.slots.length / 2) {
                // Idle slots would still be computed: carry the busy ones over to a graph of their size.
                log.info("{} label(s) still searching: continuing in a graph of {} slot(s)", busy.length, busy.length);
                group = new Group(group, busy);
            }
            Slot[] slots = group.slots;
            shuffle(indices, order);
            float[] cost = new float[slots.length];
            for (int s = 0; s < slots.length; s++) {
                cost[s] = slots[s].busy() ? (float) slots[s].schedule.cost() : 0f;
                slots[s].correct = 0;
                slots[s].l1Sum = 0;
            }
            INDArray costArray = Nd4j.createFromArray(cost);
            for (int b = 0; b < batches; b++) {
                for (int i = 0; i < batch; i++) {
                    System.arraycopy(images, indices[b * batch + i] * size, batchPixels, i * size, size);
                }
                OutAndGrad result = group.sd.calculateGradientsAndOutputs(
                        Map.of(TriggerGraph.IMAGES, Nd4j.create(batchPixels, batchShape, 'c'),
                                TriggerGraph.TARGETS, group.oneHot, TriggerGraph.COST, costArray),
                        List.of(TriggerGraph.LOGITS, TriggerGraph.L1),
                        List.of(TriggerGraph.MASK_RAW, TriggerGraph.PATTERN_RAW));
                group.maskAdam.step(group.maskRaw, result.getGradients().get(TriggerGraph.MASK_RAW));
                group.patternAdam.step(group.patternRaw, result.getGradients().get(TriggerGraph.PATTERN_RAW));
                int[] predicted = result.getOutputs().get(TriggerGraph.LOGITS).argMax(1).toIntVector();
                INDArray l1 = result.getOutputs().get(TriggerGraph.L1);
                for (int s = 0; s < slots.length; s++) {
                    for (int i = 0; i < batch; i++) {
                        if (predicted[s * batch + i] == slots[s].label) {
                            slots[s].correct++;
                        }
                    }
                    slots[s].l1Sum += l1.getDouble(s);
                }
            }
            long now = System.nanoTime();
            double stepSeconds = (now - last) / 1e9 / Math.max(1, busy.length);
            last = now;
            for (int s = 0; s < slots.length; s++) {
                Slot slot = slots[s];
                if (!slot.busy()) {
                    continue;
                }
                slot.seconds += stepSeconds;
                slot.lastSuccess = slot.correct / ((double) batches * batch);
                slot.lastL1 = slot.l1Sum / batches;
                if (slot.schedule.update(slot.lastSuccess, slot.lastL1)) {
                    slot.bestMask = toUnit(group.maskRaw, s, hw);
                    slot.bestPattern = toUnit(group.patternRaw, s, size);
                    slot.bestSuccess = slot.lastSuccess;
                }
                progress.step(slot.label, slot.schedule.steps(), slot.lastSuccess, slot.lastL1, slot.schedule.cost());
                if (slot.schedule.shouldStop() || slot.schedule.steps() >= settings.maxSteps()) {
                    done.accept(outcome(slot, group.maskRaw, group.patternRaw, s, hw, size));
                    assign(group, s, waiting.poll(), seed);
                }
            }
        }
    }

    /** Gives slot {@code s} a new label (or leaves it idle when {@code label} is null) with a fresh start. */
    private void assign(Group group, int s, Integer label, long seed) {
        Slot slot = group.slots[s];
        slot.label = label == null ? -1 : label;
        if (label == null) {
            return;
        }
        slot.schedule = new CostSchedule(settings.schedule());
        slot.bestMask = null;
        slot.bestPattern = null;
        slot.seconds = 0;
        // Each label's start depends only on the seed and the label, not on which slot or group it lands in.
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + label);
        INDArray m = group.maskRaw.get(NDArrayIndex.point(s));
        INDArray p = group.patternRaw.get(NDArrayIndex.point(s));
        m.assign(randomRaw(random, m.length()).reshape(m.shape()));
        p.assign(randomRaw(random, p.length()).reshape(p.shape()));
        group.maskAdam.reset(s);
        group.patternAdam.reset(s);
        group.target(s, label);
    }

    private static LabelOutcome outcome(Slot slot, INDArray maskRaw, INDArray patternRaw, int s, int hw, int size) {
        CostSchedule schedule = slot.schedule;
        if (schedule.converged()) {
            return new LabelOutcome(slot.label, true, schedule.bestL1(), slot.bestSuccess, schedule.steps(),
                    slot.seconds, slot.bestMask, slot.bestPattern);
        }
        // Never reached the threshold: report the last trigger, marked not converged (never a small L1 that flags).
        return new LabelOutcome(slot.label, false, slot.lastL1, slot.lastSuccess, schedule.steps(), slot.seconds,
                toUnit(maskRaw, s, hw), toUnit(patternRaw, s, size));
    }

    /** Slot s of a tanh-space parameter, mapped to [0,1] (clamped: float rounding can step past either end). */
    private static float[] toUnit(INDArray raw, int s, int length) {
        INDArray slice = raw.get(NDArrayIndex.point(s)).dup('c').reshape(length);
        float[] unit = Transforms.tanh(slice, true).divi(2 - TriggerGraph.EPSILON).addi(0.5).toFloatVector();
        for (int i = 0; i < unit.length; i++) {
            unit[i] = Math.min(1f, Math.max(0f, unit[i]));
        }
        return unit;
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
