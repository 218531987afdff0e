package org.ncguard.guard.score;

import org.ncguard.profile.InputSpec;

/**
 * Raw 8-bit pixel to model input, per channel, as a lookup table: {@code (pixel * scale - mean[c]) / std[c]} for the
 * 256 possible values, computed once per profile instead of once per pixel.
 */
public final class PixelTable {

    private final float[][] values;

    private PixelTable(int channels, float scale, float[] mean, float[] std) {
        values = new float[channels][256];
        for (int c = 0; c < channels; c++) {
            for (int p = 0; p < 256; p++) {
                values[c][p] = (p * scale - mean[c]) / std[c];
            }
        }
    }

    /** The preprocessing a profile's input spec describes. */
    public static PixelTable of(InputSpec spec) {
        return new PixelTable(spec.channels(), spec.scale(), spec.mean(), spec.std());
    }

    /** Pixels / 255, no mean or std: for a model that has no profile yet. */
    public static PixelTable unitRange(int channels) {
        return new PixelTable(channels, 1f / 255f, new float[channels], filled(channels, 1f));
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    public int channels() {
        return values.length;
    }

    /** Model input value of 8-bit {@code pixel} (0-255) in channel {@code c}. */
    public float value(int c, int pixel) {
        return values[c][pixel];
    }

    float[] channel(int c) {
        return values[c];
    }
}
