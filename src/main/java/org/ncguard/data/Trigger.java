package org.ncguard.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.ncguard.NcguardException;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;

/**
 * A backdoor trigger in canonical pixel space: a mask {@code m} (H x W, in [0,1], shared by all channels)
 * and a pattern {@code p} (C x H x W, in [0,1]). Stamping blends them into an image:
 * {@code x' = (1 - m) * x + m * p}.
 *
 * <p>This is the trigger model of Neural Cleanse, so a trigger planted by the lab and one recovered by
 * the reverse engineering are the same kind of object and can be compared, stamped and saved alike.
 * Instances are immutable.
 */
public final class Trigger {

    private final ImageShape shape;
    private final float[] mask;
    private final float[] pattern;
    private final String description;

    /**
     * @param shape the image shape this trigger fits; its layout must be NCHW (canonical)
     * @param mask {@code height * width} values in [0,1]
     * @param pattern {@code shape.size()} values in [0,1], CHW
     * @param description how the trigger was made, e.g. its spec, for reports
     */
    public Trigger(ImageShape shape, float[] mask, float[] pattern, String description) {
        if (shape.layout() != Layout.NCHW) {
            throw new IllegalArgumentException("triggers are canonical (NCHW), found " + shape);
        }
        int plane = shape.height() * shape.width();
        if (mask.length != plane) {
            throw new IllegalArgumentException("mask for " + shape + " needs " + plane + " values, found "
                    + mask.length);
        }
        if (pattern.length != shape.size()) {
            throw new IllegalArgumentException("pattern for " + shape + " needs " + shape.size() + " values, found "
                    + pattern.length);
        }
        requireUnit("mask", mask);
        requireUnit("pattern", pattern);
        this.shape = shape;
        this.mask = mask.clone();
        this.pattern = pattern.clone();
        this.description = description;
    }

    private static void requireUnit(String what, float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!(values[i] >= 0f && values[i] <= 1f)) {
                throw new IllegalArgumentException(what + " values must be in [0,1], found " + values[i] + " at " + i);
            }
        }
    }

    /** The image shape this trigger fits (canonical, NCHW). */
    public ImageShape shape() {
        return shape;
    }

    /** The mask, H x W (a copy). */
    public float[] mask() {
        return mask.clone();
    }

    /** The pattern, C x H x W (a copy). */
    public float[] pattern() {
        return pattern.clone();
    }

    /** Sum of mask values: the trigger's size as Neural Cleanse measures it. */
    public double maskL1() {
        double sum = 0;
        for (float m : mask) {
            sum += m;
        }
        return sum;
    }

    /** How the trigger was made. */
    public String description() {
        return description;
    }

    /** Stamps one canonical image in place, {@code shape().size()} values starting at {@code offset}. */
    public void stampInPlace(float[] image, int offset) {
        int plane = mask.length;
        for (int c = 0; c < shape.channels(); c++) {
            int base = offset + c * plane;
            for (int p = 0; p < plane; p++) {
                float m = mask[p];
                image[base + p] = (1 - m) * image[base + p] + m * pattern[c * plane + p];
            }
        }
    }

    /** A stamped copy of one canonical image. */
    public float[] stamped(float[] image) {
        requireFits(image.length, 1);
        float[] out = image.clone();
        stampInPlace(out, 0);
        return out;
    }

    /** A copy of {@code batch} with every image stamped; labels are unchanged. */
    public Batch stamped(Batch batch) {
        if (!batch.shape().equals(shape)) {
            throw new IllegalArgumentException("trigger for " + shape + " cannot stamp images of " + batch.shape());
        }
        float[] out = batch.pixels().clone();
        for (int i = 0; i < batch.count(); i++) {
            stampInPlace(out, i * shape.size());
        }
        return new Batch(out, batch.labels().clone(), shape);
    }

    private void requireFits(int length, int n) {
        if (length != (long) n * shape.size()) {
            throw new IllegalArgumentException("trigger for " + shape + " cannot stamp " + length + " values");
        }
    }

    /**
     * The same trigger for images with {@code channels} channels: grey patterns are replicated, colour ones
     * turn into their luminance.
     */
    public Trigger withChannels(int channels) {
        if (channels == shape.channels()) {
            return this;
        }
        ImageShape to = new ImageShape(channels, shape.height(), shape.width(), Layout.NCHW);
        int plane = mask.length;
        float[] p = new float[to.size()];
        for (int i = 0; i < plane; i++) {
            if (channels == 1) {
                float v = Preprocessor.LUMINANCE[0] * pattern[i] + Preprocessor.LUMINANCE[1] * pattern[plane + i]
                        + Preprocessor.LUMINANCE[2] * pattern[2 * plane + i];
                p[i] = Math.min(1f, Math.max(0f, v));
            } else {
                p[i] = pattern[i];
                p[plane + i] = pattern[i];
                p[2 * plane + i] = pattern[i];
            }
        }
        return new Trigger(to, mask, p, description);
    }

    /** The trigger as an RGBA image at the images' size (alpha = mask, RGB = pattern): what {@code image:} reads. */
    public BufferedImage toRgba() {
        int h = shape.height();
        int w = shape.width();
        int plane = h * w;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        for (int p = 0; p < plane; p++) {
            int r = toByte(pattern[p]);
            int g = shape.channels() == 3 ? toByte(pattern[plane + p]) : r;
            int b = shape.channels() == 3 ? toByte(pattern[2 * plane + p]) : r;
            img.setRGB(p % w, p / w, (toByte(mask[p]) << 24) | (r << 16) | (g << 8) | b);
        }
        return img;
    }

    /** Writes the trigger as an RGBA PNG (alpha = mask, RGB = pattern), the form {@code image:FILE.png} reads. */
    public void writePng(Path file) throws NcguardException {
        try {
            if (!ImageIO.write(toRgba(), "png", file.toFile())) {
                throw new NcguardException("no PNG writer available to write " + file);
            }
        } catch (IOException e) {
            throw new NcguardException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static int toByte(float v) {
        return Math.round(v * 255f);
    }

    @Override
    public String toString() {
        return "Trigger[" + description + ", " + shape + ", mask L1 " + String.format("%.1f", maskL1()) + "]";
    }
}
