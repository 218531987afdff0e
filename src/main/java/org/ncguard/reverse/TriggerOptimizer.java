package org.ncguard.reverse;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.ncguard.NcguardException;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.backprop.InputGradients;

/**
 * Reverse-engineers the smallest trigger of each label (Neural Cleanse, Wang et al. 2019), following the original
 * code's schedule: Adam on tanh-space mask and pattern, the {@link CostSchedule}, the best-mask rule and early
 * stop, every label with its own state.
 *
 * <p>The model only ever sees stamped images: each mini-batch is stamped with the trigger of every label in
 * progress (up to {@code labelsPerGroup} of them) and scored in one pass that also returns the input gradient of
 * each image's cross-entropy ({@link InputGradients}). Stamping, the chain rule to the mask and pattern, and Adam are
 * a few multiply-adds per pixel, done here. A label that finishes hands its place to the next waiting one at once,
 * and when none waits the batch simply shrinks.
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
    private final InputGradients gradients;

    /**
     * @param gain per-channel factor from canonical pixels [0,1] to the model's input
     * @param offset per-channel offset from canonical pixels to the model's input
     * @param gradients the model's logits and input gradients (left open: the caller owns it)
     */
    TriggerOptimizer(OnnxModel model, ReverseSettings settings, float[] gain, float[] offset, InputGradients gradients) {
        this.model = model;
        this.settings = settings;
        this.gain = gain.clone();
        this.offset = offset.clone();
        this.gradients = gradients;
    }

    /** A label in progress: its trigger, schedule, image order, best trigger so far and this step's tallies. */
    private static final class Search {
        final int label;
        final TriggerParameters trigger;
        final CostSchedule schedule;
        final SplittableRandom order;
        final int[] indices;
        float[] bestMask;
        float[] bestPattern;
        double bestSuccess;
        double lastSuccess;
        double lastL1;
        double seconds;
        int correct;
        double l1Sum;

        Search(int label, TriggerParameters trigger, CostSchedule schedule, SplittableRandom order, int n) {
            this.label = label;
            this.trigger = trigger;
            this.schedule = schedule;
            this.order = order;
            this.indices = IntStream.range(0, n).toArray();
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
        int batch = settings.batchSize();
        int slots = Math.min(settings.labelsPerGroup(), labels.size());
        Deque<Integer> waiting = new ArrayDeque<>(labels);
        List<Search> active = new ArrayList<>();
        while (active.size() < slots && !waiting.isEmpty()) {
            active.add(start(waiting.poll(), seed, n));
        }
        int batches = n / batch;
        StampedBatch stamped = new StampedBatch(shape, model.labels(), gain, offset, batch, slots);
        float[] maskGradient = new float[shape.height() * shape.width()];
        float[] patternGradient = new float[shape.size()];
        long last = System.nanoTime();
        while (!active.isEmpty()) {
            if (progress.cancelled()) {
                return;
            }
            for (Search s : active) {
                shuffle(s.indices, s.order);
                s.correct = 0;
                s.l1Sum = 0;
            }
            // The labels in progress change only between steps.
            List<TriggerParameters> triggers = active.stream().map(s -> s.trigger).toList();
            int[] targets = active.stream().mapToInt(s -> s.label).toArray();
            List<int[]> orders = active.stream().map(s -> s.indices).toList();
            for (int b = 0; b < batches; b++) {
                stamped.fill(images, orders, b * batch, triggers, targets);
                stamped.run(gradients);
                for (int a = 0; a < active.size(); a++) {
                    Search s = active.get(a);
                    s.correct += stamped.hits(a, s.label);
                    s.l1Sum += s.trigger.l1();
                    stamped.gradients(a, s.trigger, s.schedule.cost(), maskGradient, patternGradient);
                    s.trigger.step(maskGradient, patternGradient);
                }
            }
            long now = System.nanoTime();
            double stepSeconds = (now - last) / 1e9 / active.size();
            last = now;
            for (int a = 0; a < active.size(); a++) {
                Search s = active.get(a);
                s.seconds += stepSeconds;
                s.lastSuccess = s.correct / ((double) batches * batch);
                s.lastL1 = s.l1Sum / batches;
                if (s.schedule.update(s.lastSuccess, s.lastL1)) {
                    s.bestMask = s.trigger.mask.clone();
                    s.bestPattern = s.trigger.pattern.clone();
                    s.bestSuccess = s.lastSuccess;
                }
                progress.step(s.label, s.schedule.steps(), s.lastSuccess, s.lastL1, s.schedule.cost());
                if (s.schedule.shouldStop() || s.schedule.steps() >= settings.maxSteps()) {
                    done.accept(outcome(s));
                    Integer next = waiting.poll();
                    if (next == null) {
                        active.remove(a--);
                    } else {
                        active.set(a, start(next, seed, n));
                    }
                }
            }
        }
    }

    /**
     * A fresh search. Its initial trigger and its order of the clean images come from a random stream of the seed and
     * the label alone: a label's result does not depend on when it starts or which labels share its passes, so a scan
     * split over several processes ({@link ScanShard}) finds the same triggers as one run.
     */
    private Search start(int label, long seed, int n) {
        ImageShape shape = model.input().shape();
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + label);
        TriggerParameters trigger = new TriggerParameters(shape.height() * shape.width(), shape.channels(), random,
                settings);
        return new Search(label, trigger, new CostSchedule(settings.schedule()), random.split(), n);
    }

    private static LabelOutcome outcome(Search s) {
        CostSchedule schedule = s.schedule;
        if (schedule.converged()) {
            return new LabelOutcome(s.label, true, schedule.bestL1(), s.bestSuccess, schedule.steps(), s.seconds,
                    s.bestMask, s.bestPattern);
        }
        // Never reached the threshold: report the last trigger, marked not converged (never a small L1 that flags).
        return new LabelOutcome(s.label, false, s.lastL1, s.lastSuccess, schedule.steps(), s.seconds,
                s.trigger.mask.clone(), s.trigger.pattern.clone());
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
