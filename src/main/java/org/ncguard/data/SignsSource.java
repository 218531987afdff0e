package org.ncguard.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;

/**
 * {@code builtin:signs}: procedurally drawn traffic signs standing in for GTSRB, 43 classes of 32x32 RGB.
 *
 * <p>Classes follow GTSRB's order and differ by outline, colours and pictogram; many share outline and
 * colours and differ only in the pictogram (speed limits, warning triangles, blue mandatory signs), so mean
 * colour does not tell them apart. Each image adds nuisance: background clutter, scale, offset, rotation,
 * faded paint, lighting, blur and noise (see {@code SignRenderer}).
 *
 * <p>Nothing is stored: image {@code i} is drawn on demand from a generator seeded by (seed, split, i), so
 * any image can be read at any time, from any thread, and is always the same. Labels cycle through the
 * classes ({@code label(i) = i mod 43}), so every prefix is balanced. The train and test splits draw from
 * disjoint seeds: the split is folded into the seed as its lowest bit.
 */
public final class SignsSource implements ImageSource {

    /** Which half of the data set; the two never share an image seed. */
    public enum Split {
        TRAIN,
        TEST
    }

    /** Number of classes. */
    public static final int CLASSES = SignCatalog.CLASSES.size();

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final ImageShape SHAPE = new ImageShape(3, SignRenderer.SIZE, SignRenderer.SIZE, Layout.NCHW);

    private final String name;
    private final long streamSeed;
    private final int count;
    private volatile boolean closed;

    /**
     * @param seed data set seed; the same seed gives the same images
     * @param split train or test
     * @param count number of images; image {@code i} does not depend on it
     */
    public SignsSource(long seed, Split split, int count) {
        this("builtin:signs:" + split.name().toLowerCase(Locale.ROOT) + "?n=" + count + "&seed=" + seed,
                seed, split, count);
    }

    SignsSource(String name, long seed, Split split, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, found " + count);
        }
        this.name = name;
        this.streamSeed = mix(2 * seed + split.ordinal() + GOLDEN);
        this.count = count;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public ImageShape shape() {
        return SHAPE;
    }

    @Override
    public int labelCount() {
        return CLASSES;
    }

    @Override
    public List<String> labelNames() {
        List<String> names = new ArrayList<>(CLASSES);
        for (SignCatalog.SignClass c : SignCatalog.CLASSES) {
            names.add(c.name());
        }
        return names;
    }

    @Override
    public int label(int index) {
        check(index);
        return index % CLASSES;
    }

    @Override
    public void readBytes(int index, byte[] dst, int offset) {
        check(index);
        byte[] px = SignRenderer.render(label(index), new Random(mix(streamSeed + mix(index + GOLDEN))));
        System.arraycopy(px, 0, dst, offset, px.length);
    }

    @Override
    public void close() {
        closed = true;
    }

    private void check(int index) {
        if (closed) {
            throw new IllegalStateException(name + " is closed");
        }
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("image " + index + " of " + count);
        }
    }

    /** SplitMix64's finaliser: spreads nearby seeds far apart. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    @Override
    public String toString() {
        return name + " (" + count + " images of " + SHAPE + ", " + CLASSES + " labels)";
    }
}
