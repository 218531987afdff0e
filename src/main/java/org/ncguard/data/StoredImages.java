package org.ncguard.data;

import java.util.List;
import org.ncguard.engine.ImageShape;

/**
 * An {@link ImageSource} over 8-bit pixels held in one array, as IDX files and image folders are loaded.
 *
 * <p>Pixels stay in the order the file had them: channel-planar (CHW) or interleaved (HWC, as 4-dim IDX
 * files and decoded images store colour); interleaved pixels are reordered per read.
 */
final class StoredImages implements ImageSource {

    private final String name;
    private final ImageShape shape;
    private final boolean interleaved;
    private final int[] labels;
    private final List<String> labelNames;
    private volatile byte[] pixels;

    StoredImages(String name, ImageShape shape, boolean interleaved, byte[] pixels, int[] labels,
            List<String> labelNames) {
        if (pixels.length != (long) labels.length * shape.size()) {
            throw new IllegalArgumentException(labels.length + " images of " + shape + " need "
                    + (long) labels.length * shape.size() + " bytes, found " + pixels.length);
        }
        this.name = name;
        this.shape = shape;
        this.interleaved = interleaved;
        this.pixels = pixels;
        this.labels = labels;
        this.labelNames = List.copyOf(labelNames);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= labelNames.size()) {
                throw new IllegalArgumentException("label " + labels[i] + " of image " + i + " is outside [0, "
                        + labelNames.size() + ")");
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int count() {
        return labels.length;
    }

    @Override
    public ImageShape shape() {
        return shape;
    }

    @Override
    public int labelCount() {
        return labelNames.size();
    }

    @Override
    public List<String> labelNames() {
        return labelNames;
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public void readBytes(int index, byte[] dst, int offset) {
        byte[] px = open();
        int size = shape.size();
        int start = index * size;
        if (!interleaved || shape.channels() == 1) {
            System.arraycopy(px, start, dst, offset, size);
            return;
        }
        int c = shape.channels();
        int plane = shape.height() * shape.width();
        for (int p = 0; p < plane; p++) {
            for (int ch = 0; ch < c; ch++) {
                dst[offset + ch * plane + p] = px[start + p * c + ch];
            }
        }
    }

    @Override
    public void read(int index, float[] dst, int offset) {
        byte[] px = open();
        int size = shape.size();
        int start = index * size;
        if (!interleaved || shape.channels() == 1) {
            for (int i = 0; i < size; i++) {
                dst[offset + i] = (px[start + i] & 0xFF) / 255f;
            }
            return;
        }
        int c = shape.channels();
        int plane = shape.height() * shape.width();
        for (int p = 0; p < plane; p++) {
            for (int ch = 0; ch < c; ch++) {
                dst[offset + ch * plane + p] = (px[start + p * c + ch] & 0xFF) / 255f;
            }
        }
    }

    @Override
    public void close() {
        pixels = null;
    }

    private byte[] open() {
        byte[] px = pixels;
        if (px == null) {
            throw new IllegalStateException(name + " is closed");
        }
        return px;
    }

    @Override
    public String toString() {
        return name + " (" + count() + " images of " + shape + ", " + labelCount() + " labels)";
    }
}
