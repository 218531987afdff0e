package org.ncguard.mitigate.patch;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.ncguard.data.Batch;
import org.ncguard.data.ImageSource;
import org.ncguard.data.Trigger;
import org.ncguard.engine.ImageShape;
import org.ncguard.lab.TwinnedBatches;

/**
 * Training images held in memory (canonical, the model's channels) whose batches come back with a share of their
 * images stamped with one of the reversed triggers, drawn at random, and keeping their true label: the paper's
 * unlearning data. With {@link Twinning} the stamped images are copies that join the batch beside their unstamped
 * twins, for the trainer's twin term. The trainer reads batches through {@link #batch(int[])}; with no triggers it is
 * plain clean data, the paper's control.
 */
final class StampedShareSource implements ImageSource, TwinnedBatches {

    private final String name;
    private final Batch images;
    private final int labelCount;
    private final List<Trigger> triggers;
    private final double share;
    private final SplittableRandom random;
    private final Twinning twinning;
    private long stamped;
    private int[] lastTwins = new int[0];

    /**
     * @param images     canonical images in the model's channels
     * @param labelCount the model's labels
     * @param triggers   reversed triggers to stamp with; empty for clean data
     * @param share      share of each batch stamped, in [0, 1]
     * @param seed       seed of which images are stamped, and with which trigger
     * @param twinning   the twin term's settings, or null to stamp in place (the paper)
     */
    StampedShareSource(String name, Batch images, int labelCount, List<Trigger> triggers, double share, long seed,
            Twinning twinning) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("stamped share must be in [0, 1], found " + share);
        }
        this.name = name;
        this.images = images;
        this.labelCount = labelCount;
        this.triggers = List.copyOf(triggers);
        this.share = share;
        this.random = new SplittableRandom(seed);
        this.twinning = twinning;
    }

    /** The twin term's weight and per-unit scale ({@link TwinnedBatches}). */
    record Twinning(double weight, float[] unitScale) {
    }

    @Override
    public double twinWeight() {
        return twinning == null ? 0 : twinning.weight();
    }

    @Override
    public float[] unitScale() {
        return twinning.unitScale();
    }

    @Override
    public int[] twins(int rows) {
        if (rows != lastTwins.length) {
            throw new IllegalStateException("the last batch had " + lastTwins.length + " rows, not " + rows);
        }
        return lastTwins;
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

    /**
     * The images, with {@code share} of them (rounded at random to whole images) stamped, labels kept: in place, or
     * with twinning as copies appended after the originals.
     */
    @Override
    public Batch batch(int[] indices) {
        Batch batch = ImageSource.super.batch(indices);
        int n = batch.count();
        int size = shape().size();
        int k = triggers.isEmpty() ? 0 : Math.min(n, stampedCount(n));
        int rows = twinning == null ? n : n + k;
        float[] pixels = rows == n ? batch.pixels() : Arrays.copyOf(batch.pixels(), rows * size);
        int[] labels = rows == n ? batch.labels() : Arrays.copyOf(batch.labels(), rows);
        lastTwins = new int[rows];
        Arrays.fill(lastTwins, -1);
        int[] order = new int[n];
        Arrays.setAll(order, i -> i);
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(n - i);
            int chosen = order[j];
            order[j] = order[i];
            order[i] = chosen;
            int row = chosen;
            if (twinning != null) {
                row = n + i;
                System.arraycopy(pixels, chosen * size, pixels, row * size, size);
                labels[row] = labels[chosen];
                lastTwins[row] = chosen;
            }
            triggers.get(random.nextInt(triggers.size())).stampInPlace(pixels, row * size);
            stamped++;
        }
        return rows == n ? batch : new Batch(pixels, labels, batch.shape());
    }

    /** {@code share} of {@code n} images, rounded at random to a whole number with the right expectation. */
    private int stampedCount(int n) {
        double expected = share * n;
        int k = (int) Math.floor(expected);
        return random.nextDouble() < expected - k ? k + 1 : k;
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
