package org.ncguard.data;

import java.util.List;
import java.util.SplittableRandom;
import org.ncguard.NcguardException;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;

/**
 * Grey 28x28 images turned into 32x32 colour ones ({@code builtin:colour-fashion-mnist}): each grey value g in
 * [0, 1] becomes {@code g * foreground + (1 - g) * background}, with a foreground colour drawn from [0.35, 1]^3
 * and a background from [0, 0.3]^3 per image, and a 2-pixel border of background. The colours of image i depend
 * only on the seed and i, so every model and every run sees the same images: a colour task with the labels and
 * the difficulty of the grey one, for colour architectures (BatchNorm, Softmax) and coloured triggers.
 */
final class ColourisedSource implements ImageSource {

    /** Pixels added on each side. */
    static final int PAD = 2;

    private final ImageSource grey;
    private final String name;
    private final long seed;
    private final ImageShape shape;

    ColourisedSource(ImageSource grey, String name, long seed) throws NcguardException {
        ImageShape g = grey.shape();
        if (g.channels() != 1) {
            throw new NcguardException(grey.name() + " is not grey (" + g.channels() + " channels); only grey images"
                    + " can be colourised");
        }
        this.grey = grey;
        this.name = name;
        this.seed = seed;
        this.shape = new ImageShape(3, g.height() + 2 * PAD, g.width() + 2 * PAD, Layout.NCHW);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int count() {
        return grey.count();
    }

    @Override
    public ImageShape shape() {
        return shape;
    }

    @Override
    public int labelCount() {
        return grey.labelCount();
    }

    @Override
    public List<String> labelNames() {
        return grey.labelNames();
    }

    @Override
    public int label(int index) {
        return grey.label(index);
    }

    @Override
    public void readBytes(int index, byte[] dst, int offset) {
        ImageShape g = grey.shape();
        byte[] raw = new byte[g.size()];
        grey.readBytes(index, raw, 0);
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + index);
        double[] fg = new double[3];
        double[] bg = new double[3];
        for (int c = 0; c < 3; c++) {
            fg[c] = 0.35 + 0.65 * random.nextDouble();
        }
        for (int c = 0; c < 3; c++) {
            bg[c] = 0.3 * random.nextDouble();
        }
        int h = shape.height();
        int w = shape.width();
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int gy = y - PAD;
                    int gx = x - PAD;
                    double v = gy >= 0 && gy < g.height() && gx >= 0 && gx < g.width()
                            ? (raw[gy * g.width() + gx] & 0xFF) / 255.0 : 0;
                    double colour = v * fg[c] + (1 - v) * bg[c];
                    dst[offset + (c * h + y) * w + x] = (byte) Math.round(255 * colour);
                }
            }
        }
    }

    @Override
    public void close() {
        grey.close();
    }
}
