package org.ncguard.data;

import org.ncguard.engine.ImageShape;

/**
 * A built-in set whose images are drawn on demand, never stored: image {@code i} comes from a generator seeded by
 * the set's seed and {@code i}, so any image can be read at any time, from any thread, and is always the same. Labels
 * cycle ({@code label(i) = i mod labels}), so every prefix is balanced. Subclasses draw; this class names, counts and
 * guards.
 */
abstract class ProceduralSource implements ImageSource {

    private final String name;
    private final ImageShape shape;
    private final int labels;
    private final int count;
    private volatile boolean closed;

    ProceduralSource(String name, ImageShape shape, int labels, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, found " + count);
        }
        this.name = name;
        this.shape = shape;
        this.labels = labels;
        this.count = count;
    }

    /** Draws image {@code index} of label {@code label} into {@code dst} at {@code offset}: bytes in CHW order. */
    abstract void draw(int index, int label, byte[] dst, int offset);

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int count() {
        return count;
    }

    @Override
    public final ImageShape shape() {
        return shape;
    }

    @Override
    public final int labelCount() {
        return labels;
    }

    @Override
    public final int label(int index) {
        check(index);
        return index % labels;
    }

    @Override
    public final void readBytes(int index, byte[] dst, int offset) {
        draw(index, label(index), dst, offset);
    }

    @Override
    public final void close() {
        closed = true;
    }

    private void check(int index) {
        if (closed) {
            throw new IllegalStateException(name + " is closed");
        }
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("image " + index + " of " + count);
        }
    }

    /** SplitMix64's finaliser: spreads nearby seeds far apart. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    @Override
    public String toString() {
        return name + " (" + count + " images of " + shape + ", " + labels + " labels)";
    }
}
