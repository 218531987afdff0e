package org.ncguard.reverse;

import org.ncguard.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

import org.ncguard.NcguardException;
import org.ncguard.data.Trigger;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;

/**
 * The trigger Neural Cleanse reverse-engineered for one label: stamping it, {@code x' = (1 - mask) * x + mask *
 * pattern}, sends clean inputs to that label. Values are in input pixel range scaled to [0, 1], before the model's
 * own preprocessing. Later stages (guard profile, model patching) load it to stamp inputs.
 *
 * <p>The arrays are copied in and out, so a trigger never changes once made.
 *
 * @param label    the target label
 * @param channels image channels, 1 (grey) or 3 (RGB, in that order)
 * @param height   image height in pixels
 * @param width    image width in pixels
 * @param mask     {@code height * width} values in [0, 1], row-major, shared by all channels
 * @param pattern  {@code channels * height * width} values in [0, 1], channel-planar: {@code (c * height + y) *
 *                 width + x}
 */
public record ReversedTrigger(int label, int channels, int height, int width, float[] mask, float[] pattern) {

    public ReversedTrigger {
        if (label < 0) {
            throw new IllegalArgumentException("label must be >= 0, found " + label);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, found " + channels);
        }
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("height and width must be positive, found " + height + "x" + width);
        }
        mask = checked("mask", mask, height * width, label);
        pattern = checked("pattern", pattern, channels * height * width, label);
    }

    private static float[] checked(String name, float[] values, int expectedLength, int label) {
        if (values == null) {
            throw new IllegalArgumentException(name + " of label " + label + " is required");
        }
        if (values.length != expectedLength) {
            throw new IllegalArgumentException(name + " of label " + label + " must have " + expectedLength
                    + " values, found " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            if (!(values[i] >= 0f && values[i] <= 1f)) {
                throw new IllegalArgumentException(name + " values of label " + label + " must be in [0, 1], found "
                        + values[i] + " at index " + i);
            }
        }
        return values.clone();
    }

    /** A copy of the mask, {@code height * width} values. */
    @Override
    public float[] mask() {
        return mask.clone();
    }

    /** A copy of the pattern, {@code channels * height * width} values, channel-planar. */
    @Override
    public float[] pattern() {
        return pattern.clone();
    }

    /** Mask value at pixel (y, x). */
    public float mask(int y, int x) {
        return mask[y * width + x];
    }

    /** Pattern value of channel c at pixel (y, x). */
    public float pattern(int c, int y, int x) {
        return pattern[(c * height + y) * width + x];
    }

    /** This trigger as a {@link Trigger}, which stamps canonical images and writes the RGBA stamp. */
    public Trigger toTrigger() {
        return new Trigger(new ImageShape(channels, height, width, Layout.NCHW), mask, pattern,
                "reversed trigger of label " + label);
    }

    /** The L1 norm of the mask: the trigger's size, which the outlier test compares across labels. */
    public double l1() {
        double sum = 0;
        for (float m : mask) {
            sum += m;
        }
        return sum;
    }

    /** What the trigger puts on a black image: mask times pattern, channel-planar like the pattern. */
    public float[] visible() {
        float[] out = new float[pattern.length];
        int plane = height * width;
        for (int i = 0; i < out.length; i++) {
            out[i] = mask[i % plane] * pattern[i];
        }
        return out;
    }

    /**
     * Writes this trigger as JSON, atomically.
     *
     * @throws NcguardException if the file cannot be written
     */
    public void write(Path file) throws NcguardException {
        try {
            AtomicFiles.write(file, Json.COMPACT_ARRAYS.writeValueAsBytes(this));
        } catch (IOException e) {
            throw new NcguardException("Cannot write the trigger of label " + label + " to " + file + ": "
                    + Json.firstLine(e), e);
        }
    }

    /**
     * Reads a trigger written by {@link #write}.
     *
     * @throws NcguardException if the file is missing or damaged; the message names the file
     */
    public static ReversedTrigger read(Path file) throws NcguardException {
        ReversedTrigger trigger;
        try {
            trigger = Json.MAPPER.readValue(Files.readAllBytes(file), ReversedTrigger.class);
        } catch (NoSuchFileException e) {
            throw new NcguardException("Trigger file " + file + " not found", e);
        } catch (IOException e) {
            throw new NcguardException("Trigger file " + file + " is unreadable or damaged (" + Json.firstLine(e)
                    + "); delete it and scan that label again", e);
        }
        if (trigger == null) {
            throw new NcguardException("Trigger file " + file + " is empty (JSON null); delete it and scan that label"
                    + " again");
        }
        return trigger;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReversedTrigger t && label == t.label && channels == t.channels && height == t.height
                && width == t.width && Arrays.equals(mask, t.mask) && Arrays.equals(pattern, t.pattern);
    }

    @Override
    public int hashCode() {
        return Objects.hash(label, channels, height, width, Arrays.hashCode(mask), Arrays.hashCode(pattern));
    }

    @Override
    public String toString() {
        return "ReversedTrigger[label=" + label + ", " + channels + "x" + height + "x" + width + ", mask L1="
                + String.format(Locale.ROOT, "%.3f", l1()) + "]";
    }
}
