package org.ncguard.engine;

/**
 * The shape of one image as a model takes it: channels, height, width, and the order they are stored in.
 * The batch dimension is never part of it.
 */
public record ImageShape(int channels, int height, int width, Layout layout) {

    public ImageShape {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, found " + channels);
        }
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("height and width must be positive, found " + height + "x" + width);
        }
        if (layout == null) {
            throw new IllegalArgumentException("layout is required");
        }
    }

    /** Number of floats in one image. */
    public int size() {
        return channels * height * width;
    }

    /** Index of pixel (c, y, x) in a flat image stored in this shape's layout. */
    public int index(int c, int y, int x) {
        return layout == Layout.NCHW
                ? (c * height + y) * width + x
                : (y * width + x) * channels + c;
    }

    /** The shape of a batch of {@code n} images, as the model's input tensor has it. */
    public long[] batchShape(int n) {
        return layout == Layout.NCHW
                ? new long[] {n, channels, height, width}
                : new long[] {n, height, width, channels};
    }

    @Override
    public String toString() {
        return layout == Layout.NCHW
                ? channels + "x" + height + "x" + width + " (NCHW)"
                : height + "x" + width + "x" + channels + " (NHWC)";
    }
}
