package org.ncguard.data;

import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;

/**
 * A run of images in canonical form, one flat array for all of them.
 *
 * <p>The arrays are shared, not copied: a batch is a buffer on its way to a model, not a value.
 *
 * @param pixels {@code labels.length * shape.size()} values in [0,1], image after image, each CHW
 * @param labels one class index per image
 * @param shape the shape of one image; always {@link Layout#NCHW}
 */
public record Batch(float[] pixels, int[] labels, ImageShape shape) {

    public Batch {
        if (shape.layout() != Layout.NCHW) {
            throw new IllegalArgumentException("canonical batches are NCHW, found " + shape);
        }
        if (pixels.length != (long) labels.length * shape.size()) {
            throw new IllegalArgumentException("a batch of " + labels.length + " images of " + shape
                    + " needs " + (long) labels.length * shape.size() + " values, found " + pixels.length);
        }
    }

    /** Number of images. */
    public int count() {
        return labels.length;
    }

    /** A copy of image {@code i}'s pixels. */
    public float[] image(int i) {
        float[] out = new float[shape.size()];
        System.arraycopy(pixels, i * shape.size(), out, 0, out.length);
        return out;
    }
}
