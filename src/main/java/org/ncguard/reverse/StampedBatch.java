package org.ncguard.reverse;

import java.util.Arrays;
import java.util.List;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.backprop.InputGradients;

/**
 * One mini-batch of clean images stamped with several labels' triggers, {@code (1-m)*x + m*p}, in the model's layout
 * and preprocessing; and, once the model has run, each trigger's gradient of its loss
 * {@code mean_i CE(f(stamp(x_i)), label) + cost * |m|_1}.
 */
final class StampedBatch {

    private final ImageShape shape;
    private final int labels;
    private final float[] gain;
    private final float[] offset;
    private final int batch;
    /** Model-layout position of each canonical (CHW) pixel. */
    private final int[] position;
    private final float[] clean;
    private final float[] input;
    private final float[] targets;
    private final float[] logits;
    private final float[] gradient;
    private int stamps;

    StampedBatch(ImageShape shape, int labels, float[] gain, float[] offset, int batch, int maxStamps) {
        this.shape = shape;
        this.labels = labels;
        this.gain = gain;
        this.offset = offset;
        this.batch = batch;
        int size = shape.size();
        int area = shape.height() * shape.width();
        position = new int[size];
        for (int c = 0; c < shape.channels(); c++) {
            for (int p = 0; p < area; p++) {
                position[c * area + p] = shape.index(c, p / shape.width(), p % shape.width());
            }
        }
        clean = new float[maxStamps * batch * size];
        input = new float[maxStamps * batch * size];
        targets = new float[maxStamps * batch * labels];
        logits = new float[maxStamps * batch * labels];
        gradient = new float[maxStamps * batch * size];
    }

    /**
     * Stamps trigger a on images {@code orders.get(a)[from..from+batch)}, the rows of trigger a targeting label a.
     * Each trigger has its own image order, so that a label's search does not depend on which labels share the pass.
     */
    void fill(float[] images, List<int[]> orders, int from, List<TriggerParameters> triggers, int[] targetLabels) {
        int size = shape.size();
        int area = shape.height() * shape.width();
        stamps = triggers.size();
        Arrays.fill(targets, 0, stamps * batch * labels, 0f);
        for (int a = 0; a < stamps; a++) {
            float[] m = triggers.get(a).mask;
            float[] p = triggers.get(a).pattern;
            int[] indices = orders.get(a);
            for (int i = 0; i < batch; i++) {
                int row = a * batch + i;
                System.arraycopy(images, indices[from + i] * size, clean, row * size, size);
                targets[row * labels + targetLabels[a]] = 1f;
                for (int k = 0; k < size; k++) {
                    int c = k / area;
                    float mk = m[k % area];
                    float v = (1 - mk) * clean[row * size + k] + mk * p[k];
                    input[row * size + position[k]] = v * gain[c] + offset[c];
                }
            }
        }
    }

    void run(InputGradients model) {
        model.compute(input, stamps * batch, targets, logits, gradient);
    }

    /** How many of trigger a's stamped images the model assigned to {@code label}. */
    int hits(int a, int label) {
        int hits = 0;
        for (int i = 0; i < batch; i++) {
            int row = (a * batch + i) * labels;
            int best = 0;
            for (int j = 1; j < labels; j++) {
                if (logits[row + j] > logits[row + best]) {
                    best = j;
                }
            }
            hits += best == label ? 1 : 0;
        }
        return hits;
    }

    /**
     * Trigger a's gradients of its loss (cross-entropy averaged over the batch, plus cost x L1) with respect to its
     * mask and pattern values, written into the given arrays.
     */
    void gradients(int a, TriggerParameters trigger, double cost, float[] maskGradient, float[] patternGradient) {
        int size = shape.size();
        int area = shape.height() * shape.width();
        float[] m = trigger.mask;
        float[] p = trigger.pattern;
        Arrays.fill(maskGradient, (float) cost); // d(cost * sum m)/dm: the mask is positive
        Arrays.fill(patternGradient, 0f);
        for (int i = 0; i < batch; i++) {
            int row = (a * batch + i) * size;
            for (int k = 0; k < size; k++) {
                int c = k / area;
                // d loss / d stamped pixel, through the preprocessing, for a mean over the batch
                float dv = gradient[row + position[k]] * gain[c] / batch;
                maskGradient[k % area] += dv * (p[k] - clean[row + k]);
                patternGradient[k] += dv * m[k % area];
            }
        }
    }

    /** Logit j of trigger a's stamped image i, as the last {@link #run} computed it. */
    float logit(int a, int i, int j) {
        return logits[(a * batch + i) * labels + j];
    }
}
