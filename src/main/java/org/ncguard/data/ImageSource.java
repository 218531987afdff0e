package org.ncguard.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.ncguard.engine.ImageShape;

/**
 * A labelled image data set with random access, kept as the bytes it was stored in.
 *
 * <p>Sources hold (or compute) 8-bit pixels and convert to canonical floats only for the images asked for,
 * so a 60,000-image set costs about its own byte size. Image {@code i} is always the same image; reads
 * do not depend on each other and are safe from several threads. Open one with {@link DataSources#open}.
 *
 * <p>Closing releases the pixels; any read after that fails with {@link IllegalStateException}.
 */
public interface ImageSource extends AutoCloseable, Iterable<LabeledImage> {

    /** What this source was opened from, for provenance: the spec string or the file it read. */
    String name();

    /** Number of images. */
    int count();

    /** Shape of one stored image: channels (1 or 3), height, width, always in canonical CHW order. */
    ImageShape shape();

    /** Number of classes; every label is in {@code [0, labelCount)}. */
    int labelCount();

    /** A display name per class, {@code labelCount()} of them. */
    default List<String> labelNames() {
        List<String> names = new ArrayList<>(labelCount());
        for (int i = 0; i < labelCount(); i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }

    /** Label of image {@code index}. */
    int label(int index);

    /**
     * Copies image {@code index} as unsigned bytes (0..255) in CHW order into {@code dst} at {@code offset};
     * {@code shape().size()} bytes are written.
     */
    void readBytes(int index, byte[] dst, int offset);

    /** Copies image {@code index} in canonical form (bytes / 255, CHW) into {@code dst} at {@code offset}. */
    default void read(int index, float[] dst, int offset) {
        int size = shape().size();
        byte[] raw = new byte[size];
        readBytes(index, raw, 0);
        for (int i = 0; i < size; i++) {
            dst[offset + i] = (raw[i] & 0xFF) / 255f;
        }
    }

    /** Image {@code index} in canonical form with its label. */
    default LabeledImage get(int index) {
        float[] pixels = new float[shape().size()];
        read(index, pixels, 0);
        return new LabeledImage(pixels, label(index));
    }

    /** Images {@code from .. from+n-1} as one canonical batch. */
    default Batch batch(int from, int n) {
        int[] indices = new int[n];
        for (int i = 0; i < n; i++) {
            indices[i] = from + i;
        }
        return batch(indices);
    }

    /** The given images, in the given order, as one canonical batch. */
    default Batch batch(int[] indices) {
        int size = shape().size();
        float[] pixels = new float[Math.multiplyExact(indices.length, size)];
        int[] labels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            read(indices[i], pixels, i * size);
            labels[i] = label(indices[i]);
        }
        return new Batch(pixels, labels, shape());
    }

    /** Consecutive batches of {@code batchSize} images covering the whole source; the last may be shorter. */
    default Iterable<Batch> batches(int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, found " + batchSize);
        }
        return () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < count();
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int n = Math.min(batchSize, count() - next);
                Batch b = batch(next, n);
                next += n;
                return b;
            }
        };
    }

    /** Labels of all images, in order. */
    default int[] labels() {
        int[] labels = new int[count()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = label(i);
        }
        return labels;
    }

    /** Images one at a time, in order, each converted when it is reached. */
    @Override
    default Iterator<LabeledImage> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < count();
            }

            @Override
            public LabeledImage next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return get(next++);
            }
        };
    }

    /** Releases the pixels. Never throws. */
    @Override
    void close();
}
