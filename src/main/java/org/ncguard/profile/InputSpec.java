package org.ncguard.profile;

import java.util.Arrays;
import java.util.Set;

/**
 * How raw 8-bit pixels become the model's input, the way {@code --data} preprocessing does it:
 * {@code x[c] = (pixel[c] * scale - mean[c]) / std[c]}, in {@code layout}.
 *
 * @param name     the model's input tensor
 * @param layout   NCHW or NHWC
 * @param channels 1 or 3
 * @param height   pixels
 * @param width    pixels
 * @param scale    8-bit value to model range
 * @param mean     one per channel
 * @param std      one per channel, positive
 */
public record InputSpec(String name, String layout, int channels, int height, int width, float scale, float[] mean,
                        float[] std) {

    private static final Set<String> LAYOUTS = Set.of("NCHW", "NHWC");

    public InputSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("input name is required");
        }
        if (!LAYOUTS.contains(layout)) {
            throw new IllegalArgumentException("layout must be NCHW or NHWC, found " + layout);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, found " + channels);
        }
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("height and width must be positive, found " + height + "x" + width);
        }
        if (!(scale > 0) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be positive and finite, found " + scale);
        }
        if (mean == null || mean.length != channels || std == null || std.length != channels) {
            throw new IllegalArgumentException("mean and std need one value per channel (" + channels + "), found "
                    + Arrays.toString(mean) + " and " + Arrays.toString(std));
        }
        mean = mean.clone();
        std = std.clone();
        for (float s : std) {
            if (!(s > 0) || Float.isInfinite(s)) {
                throw new IllegalArgumentException("std must be positive and finite, found " + Arrays.toString(std));
            }
        }
    }

    /** Values in one image. */
    public int size() {
        return channels * height * width;
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputSpec s && name.equals(s.name) && layout.equals(s.layout) && channels == s.channels
                && height == s.height && width == s.width && Float.compare(scale, s.scale) == 0
                && Arrays.equals(mean, s.mean) && Arrays.equals(std, s.std);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(mean);
    }

    @Override
    public String toString() {
        return "InputSpec[" + name + ", " + layout + " " + channels + "x" + height + "x" + width + ", scale " + scale
                + ", mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std) + "]";
    }
}
