package org.ncguard.mitigate.patch;

import java.util.List;
import java.util.SplittableRandom;
import org.ncguard.data.Batch;
import org.ncguard.data.ImageSource;
import org.ncguard.data.Trigger;
import org.ncguard.engine.ImageShape;

/**
 * Training images held in memory (canonical, the model's channels) whose batches come back with a share of their
 * images stamped with one of the reversed triggers, drawn at random, and keeping their true label: the paper's
 * unlearning data. The trainer reads batches through {@link #batch(int[])}; with no triggers it is plain clean data,
 * the paper's control.
 */
final class StampedShareSource implements ImageSource {

    private final String name;
    private final Batch images;
    private final int labelCount;
    private final List<Trigger> triggers;
    private final double share;
    private final SplittableRandom random;
    private long stamped;

    /**
     * @param images     canonical images in the model's channels
     * @param labelCount the model's labels
     * @param triggers   reversed triggers to stamp with; empty for clean data
     * @param share      share of each batch stamped, in [0, 1]
     * @param seed       seed of which images are stamped, and with which trigger
     */
    StampedShareSource(String name, Batch images, int labelCount, List<Trigger> triggers, double share, long seed) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("stamped share must be in [0, 1], found " + share);
        }
        this.name = name;
        this.images = images;
        this.labelCount = labelCount;
        this.triggers = List.copyOf(triggers);
        this.share = share;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int count() {
        return images.count();
    }

    @Override
    public ImageShape shape() {
        return images.shape();
    }

    @Override
    public int labelCount() {
        return labelCount;
    }

    @Override
    public int label(int index) {
        return images.labels()[index];
    }

    @Override
    public void readBytes(int index, byte[] dst, int offset) {
        int size = shape().size();
        for (int i = 0; i < size; i++) {
            dst[offset + i] = (byte) Math.round(images.pixels()[index * size + i] * 255f);
        }
    }

    @Override
    public void read(int index, float[] dst, int offset) {
        int size = shape().size();
        System.arraycopy(images.pixels(), index * size, dst, offset, size);
    }

    /** The images, with {@code share} of them (rounded at random to whole images) stamped; labels kept. */
    @Override
    public Batch batch(int[] indices) {
        Batch batch = ImageSource.super.batch(indices);
        if (triggers.isEmpty() || share == 0) {
            return batch;
        }
        int n = batch.count();
        double expected = share * n;
        int k = (int) Math.floor(expected);
        if (random.nextDouble() < expected - k) {
            k++;
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        int size = shape().size();
        for (int i = 0; i < Math.min(k, n); i++) {
            int j = i + random.nextInt(n - i);
            int chosen = order[j];
            order[j] = order[i];
            order[i] = chosen;
            triggers.get(random.nextInt(triggers.size())).stampInPlace(batch.pixels(), chosen * size);
            stamped++;
        }
        return batch;
    }

    /** Images stamped so far. */
    long stamped() {
        return stamped;
    }

    @Override
    public void close() {
        // the pixels belong to the batch the caller passed in
    }
}
