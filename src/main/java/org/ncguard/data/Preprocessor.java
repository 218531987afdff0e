package org.ncguard.data;

import java.util.Arrays;
import org.ncguard.NcguardException;
import org.ncguard.engine.ImageShape;

/**
 * Turns images into the model's input: its layout (NCHW or NHWC), its channel count, and its scaling.
 *
 * <p>A model expects {@code (raw * scale - mean[c]) / std[c]} where {@code raw} is the 8-bit pixel value
 * (scale 1/255 and no mean/std for a model trained on [0,1] pixels). Channels are converted first: grey to
 * RGB replicates, RGB to grey takes the luminance {@code 0.299 R + 0.587 G + 0.114 B}. Image sizes must
 * match exactly; nothing is resized.
 *
 * <p>The whole map from canonical pixels {@code p} (in [0,1]) to model input is linear per channel:
 * {@code input[c] = gain(c) * mix(p)[c] + offset(c)}, with {@code mix} given by {@link #channelMatrix(int)}.
 * Trigger optimisation works on canonical pixels and applies this map after stamping.
 */
public final class Preprocessor {

    /** Luminance weights for R, G, B (ITU-R BT.601), as most image libraries convert RGB to grey. */
    public static final float[] LUMINANCE = {0.299f, 0.587f, 0.114f};

    /** Default scale from 8-bit values to [0,1]. */
    public static final float DEFAULT_SCALE = 1f / 255f;

    private final ImageShape target;
    private final float scale;
    private final float[] mean;
    private final float[] std;

    /** A model taking pixels in [0,1]: scale 1/255, no mean or std. */
    public Preprocessor(ImageShape target) {
        this(target, DEFAULT_SCALE, null, null);
    }

    /**
     * @param target the model's input shape and layout
     * @param scale factor from raw 8-bit values to the model's pixel range
     * @param mean per-channel mean to subtract after scaling, one value or one per target channel; null for 0
     * @param std per-channel standard deviation to divide by, one value or one per target channel; null for 1
     */
    public Preprocessor(ImageShape target, float scale, float[] mean, float[] std) {
        if (target == null) {
            throw new IllegalArgumentException("target shape is required");
        }
        if (!(scale > 0) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be positive and finite, found " + scale);
        }
        this.target = target;
        this.scale = scale;
        this.mean = perChannel("mean", mean, 0f, target.channels());
        this.std = perChannel("std", std, 1f, target.channels());
        for (float s : this.std) {
            if (!(s > 0) || Float.isInfinite(s)) {
                throw new IllegalArgumentException("std must be positive and finite, found " + Arrays.toString(std));
            }
        }
    }

    private static float[] perChannel(String what, float[] given, float fallback, int channels) {
        float[] out = new float[channels];
        if (given == null) {
            Arrays.fill(out, fallback);
        } else if (given.length == 1) {
            Arrays.fill(out, given[0]);
        } else if (given.length == channels) {
            System.arraycopy(given, 0, out, 0, channels);
        } else {
            throw new IllegalArgumentException(what + " needs 1 or " + channels + " values, found "
                    + given.length + " " + Arrays.toString(given));
        }
        for (float v : out) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException(what + " must be finite, found " + Arrays.toString(given));
            }
        }
        return out;
    }

    /** The model's input shape. */
    public ImageShape target() {
        return target;
    }

    /** Factor from raw 8-bit values to the model's pixel range. */
    public float scale() {
        return scale;
    }

    /** Per-target-channel mean (a copy). */
    public float[] mean() {
        return mean.clone();
    }

    /** Per-target-channel standard deviation (a copy). */
    public float[] std() {
        return std.clone();
    }

    /** Model input per unit of canonical pixel value in target channel {@code c}: {@code 255 * scale / std[c]}. */
    public float gain(int c) {
        return 255f * scale / std[c];
    }

    /** Model input for a canonical value of 0 in target channel {@code c}: {@code -mean[c] / std[c]}. */
    public float offset(int c) {
        return -mean[c] / std[c];
    }

    /**
     * Weights from data channels to target channels, {@code [target channels][data channels]}: identity,
     * replication (1 to 3) or luminance (3 to 1).
     */
    public float[][] channelMatrix(int dataChannels) {
        int tc = target.channels();
        float[][] m = new float[tc][dataChannels];
        for (int t = 0; t < tc; t++) {
            for (int d = 0; d < dataChannels; d++) {
                if (tc == dataChannels) {
                    m[t][d] = t == d ? 1f : 0f;
                } else if (dataChannels == 1) {
                    m[t][d] = 1f;
                } else {
                    m[t][d] = LUMINANCE[d];
                }
            }
        }
        return m;
    }

    /** Checks that images of {@code data} can feed this model: same height and width, 1 or 3 channels. */
    public void requireCompatible(ImageShape data) throws NcguardException {
        if (data.height() != target.height() || data.width() != target.width()) {
            throw new NcguardException("image size mismatch: the data has " + data.height() + "x" + data.width()
                    + " images but the model takes " + target.height() + "x" + target.width() + " (" + target
                    + "); ncguard does not resize, so use data of the model's size");
        }
    }

    /** A canonical batch as model input, {@code batch.count() * target().size()} values. */
    public float[] apply(Batch batch) throws NcguardException {
        return apply(batch.pixels(), batch.count(), batch.shape());
    }

    /**
     * {@code n} canonical images (values in [0,1], CHW, of shape {@code data}) as model input.
     */
    public float[] apply(float[] canonical, int n, ImageShape data) throws NcguardException {
        requireCompatible(data);
        checkLength(canonical.length, n, data);
        float[] out = new float[Math.multiplyExact(n, target.size())];
        float[] gain = new float[target.channels()];
        float[] offset = new float[target.channels()];
        for (int c = 0; c < gain.length; c++) {
            gain[c] = gain(c);
            offset[c] = offset(c);
        }
        convert(canonical, n, data, gain, offset, out);
        return out;
    }

    /** {@code n} raw 8-bit images (CHW, of shape {@code data}) as model input. */
    public float[] applyBytes(byte[] raw, int n, ImageShape data) throws NcguardException {
        requireCompatible(data);
        checkLength(raw.length, n, data);
        float[] values = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            values[i] = raw[i] & 0xFF;
        }
        float[] out = new float[Math.multiplyExact(n, target.size())];
        float[] gain = new float[target.channels()];
        float[] offset = new float[target.channels()];
        for (int c = 0; c < gain.length; c++) {
            gain[c] = scale / std[c];
            offset[c] = offset(c);
        }
        convert(values, n, data, gain, offset, out);
        return out;
    }

    private static void checkLength(int length, int n, ImageShape data) {
        if (length != (long) n * data.size()) {
            throw new IllegalArgumentException(n + " images of " + data + " need " + (long) n * data.size()
                    + " values, found " + length);
        }
    }

    private void convert(float[] in, int n, ImageShape data, float[] gain, float[] offset, float[] out) {
        int plane = data.height() * data.width();
        int dc = data.channels();
        int tc = target.channels();
        int w = data.width();
        for (int i = 0; i < n; i++) {
            int src = i * data.size();
            int dst = i * target.size();
            for (int p = 0; p < plane; p++) {
                int y = p / w;
                int x = p % w;
                for (int c = 0; c < tc; c++) {
                    float v;
                    if (dc == tc) {
                        v = in[src + c * plane + p];
                    } else if (dc == 1) {
                        v = in[src + p];
                    } else {
                        v = LUMINANCE[0] * in[src + p] + LUMINANCE[1] * in[src + plane + p]
                                + LUMINANCE[2] * in[src + 2 * plane + p];
                    }
                    out[dst + target.index(c, y, x)] = gain[c] * v + offset[c];
                }
            }
        }
    }

    @Override
    public String toString() {
        return "Preprocessor[target=" + target + ", scale=" + scale + ", mean=" + Arrays.toString(mean) + ", std="
                + Arrays.toString(std) + "]";
    }
}
