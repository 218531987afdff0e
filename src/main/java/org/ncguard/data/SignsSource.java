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
 * <p>Image {@code i} is drawn on demand from a generator seeded by (seed, split, i); labels cycle through the 43
 * classes. The train and test splits draw from disjoint seeds: the split is folded into the seed as its lowest bit.
 */
public final class SignsSource extends ProceduralSource {

    /** Which half of the data set; the two never share an image seed. */
    public enum Split {
        TRAIN,
        TEST
    }

    /** Number of classes. */
    public static final int CLASSES = SignCatalog.CLASSES.size();

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final ImageShape SHAPE = new ImageShape(3, SignRenderer.SIZE, SignRenderer.SIZE, Layout.NCHW);

    private final long streamSeed;

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
        super(name, SHAPE, CLASSES, count);
        this.streamSeed = mix(2 * seed + split.ordinal() + GOLDEN);
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
    void draw(int index, int label, byte[] dst, int offset) {
        byte[] px = SignRenderer.render(label, new Random(mix(streamSeed + mix(index + GOLDEN))));
        System.arraycopy(px, 0, dst, offset, px.length);
    }
}
