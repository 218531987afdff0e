package org.ncguard.data;

import java.util.Locale;
import java.util.SplittableRandom;
import org.ncguard.engine.ImageShape;

/**
 * Images of uniform random bytes of a given shape, all of label 0: traffic when no data is at hand. The same seed
 * gives the same images.
 */
public final class NoiseSource extends ProceduralSource {

    private final long seed;

    public NoiseSource(ImageShape shape, int count, long seed) {
        super(String.format(Locale.ROOT, "random %s images (seed %d)", shape, seed), shape, 1, count);
        this.seed = seed;
    }

    @Override
    void draw(int index, int label, byte[] dst, int offset) {
        byte[] pixels = new byte[shape().size()];
        new SplittableRandom(mix(seed + mix(index))).nextBytes(pixels);
        System.arraycopy(pixels, 0, dst, offset, pixels.length);
    }
}
