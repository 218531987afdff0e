package org.ncguard.lab;

import java.util.SplittableRandom;
import org.ncguard.data.Batch;
import org.ncguard.data.Trigger;

/**
 * BadNets poisoning: a share of every training batch is stamped with the trigger and relabelled to the target.
 *
 * <p>The share is {@code ratio} on average: a batch of {@code n} gets {@code floor(ratio * n)} poisoned images, plus
 * one more with probability equal to the fractional part, so that 10% of batches of 32 really is 10% and not the
 * 9.4% of rounding down. Which images are poisoned is drawn from the poisoner's own random stream, so that an
 * infected run and its clean twin see the same images in the same order.
 */
public final class Poisoner {

    private final Trigger trigger;
    private final int target;
    private final double ratio;
    private final SplittableRandom random;

    /**
     * @param trigger the trigger, in the canonical shape of the training images
     * @param target the label poisoned images are given
     * @param ratio the share of each batch to poison, in (0, 1]
     * @param seed seed of the choice of images
     */
    public Poisoner(Trigger trigger, int target, double ratio, long seed) {
        if (!(ratio > 0 && ratio <= 1)) {
            throw new IllegalArgumentException("poison ratio must be in (0, 1], found " + ratio);
        }
        if (target < 0) {
            throw new IllegalArgumentException("target label must not be negative, found " + target);
        }
        this.trigger = trigger;
        this.target = target;
        this.ratio = ratio;
        this.random = new SplittableRandom(seed);
    }

    /** Stamps and relabels a random share of {@code batch} in place; returns how many images were poisoned. */
    public int poison(Batch batch) {
        int n = batch.count();
        double expected = ratio * n;
        int k = (int) Math.floor(expected);
        if (random.nextDouble() < expected - k) {
            k++;
        }
        k = Math.min(k, n);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        int size = batch.shape().size();
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(n - i);
            int chosen = order[j];
            order[j] = order[i];
            order[i] = chosen;
            trigger.stampInPlace(batch.pixels(), chosen * size);
            batch.labels()[chosen] = target;
        }
        return k;
    }

    public Trigger trigger() {
        return trigger;
    }

    public int target() {
        return target;
    }

    public double ratio() {
        return ratio;
    }
}
