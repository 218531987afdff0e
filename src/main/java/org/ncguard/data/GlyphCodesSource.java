package org.ncguard.data;

import java.util.Locale;
import java.util.SplittableRandom;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;

/**
 * A synthetic glyph set with as many labels as asked (the paper's many-label tasks, which cannot be downloaded here):
 * every label is a fixed random 5x5 code of 4x4-pixel blocks, drawn on a 28x28 grey image with a random shift of up
 * to two pixels, a random ink level and pixel noise. The same seed gives the same images; image {@code i} has label
 * {@code i % labels}, so every prefix is balanced.
 */
public final class GlyphCodesSource extends ProceduralSource {

    /** Image side. */
    public static final int SIZE = 28;
    private static final int GRID = 5;
    private static final int BLOCK = 4;
    /** Where the code starts before the shift: it spans pixels 2..26 at the extremes. */
    private static final int ORIGIN = 4;
    private static final ImageShape SHAPE = new ImageShape(1, SIZE, SIZE, Layout.NCHW);

    private final long streamSeed;
    private final boolean[][] codes;

    /**
     * @param labels number of labels, 2 or more
     * @param count  images
     * @param test   the test split (other images of the same codes)
     * @param seed   seed of the codes and of the images
     */
    public GlyphCodesSource(int labels, int count, boolean test, long seed) {
        super(String.format(Locale.ROOT, "builtin:glyph-codes:%s?labels=%d&n=%d&seed=%d", test ? "test" : "train",
                labels, count, seed), SHAPE, checked(labels), count);
        this.streamSeed = mix(2 * seed + (test ? 1 : 0));
        this.codes = codes(labels, seed);
    }

    private static int checked(int labels) {
        if (labels < 2) {
            throw new IllegalArgumentException("a glyph set needs at least 2 labels, found " + labels);
        }
        return labels;
    }

    /** Distinct codes with 8 to 17 blocks set, so that none is blank or a near copy of the full square. */
    private static boolean[][] codes(int labels, long seed) {
        SplittableRandom random = new SplittableRandom(mix(seed));
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        boolean[][] codes = new boolean[labels][];
        for (int label = 0; label < labels; label++) {
            int bits;
            do {
                bits = random.nextInt(1 << (GRID * GRID));
            } while (Integer.bitCount(bits) < 8 || Integer.bitCount(bits) > 17 || !seen.add(bits));
            codes[label] = new boolean[GRID * GRID];
            for (int b = 0; b < GRID * GRID; b++) {
                codes[label][b] = (bits >>> b & 1) == 1;
            }
        }
        return codes;
    }

    @Override
    void draw(int index, int label, byte[] dst, int offset) {
        SplittableRandom random = new SplittableRandom(mix(streamSeed + index));
        boolean[] code = codes[label];
        int dy = random.nextInt(-2, 3);
        int dx = random.nextInt(-2, 3);
        double ink = 0.6 + 0.4 * random.nextDouble();
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int gy = Math.floorDiv(y - ORIGIN - dy, BLOCK);
                int gx = Math.floorDiv(x - ORIGIN - dx, BLOCK);
                boolean on = gy >= 0 && gy < GRID && gx >= 0 && gx < GRID && code[gy * GRID + gx];
                double v = (on ? ink : 0.05) + 0.08 * random.nextGaussian();
                dst[offset + y * SIZE + x] = (byte) Math.round(255 * Math.min(1, Math.max(0, v)));
            }
        }
    }
}
