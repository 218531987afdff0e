package org.ncguard.lab;

import java.util.Locale;
import org.ncguard.NcguardException;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;
import org.ncguard.engine.OnnxBuilder;
import org.ncguard.onnx.Onnx.ModelProto;

/**
 * The networks of the Neural Cleanse paper, built with seeded He-initialised weights and ending in logits, and a
 * colour network with batch normalisation ending in Softmax.
 *
 * <p>The image size and channel count come from the data, so either network can be trained on any images that
 * are large enough; the paper pairs {@link #MNIST} with 28x28 grey digits and {@link #GTSRB} with 32x32 colour
 * signs.
 */
public enum Architecture {

    /** Two 5x5 convolutions (16 and 32 filters), each followed by ReLU and 2x2 max pooling, dense 512, output. */
    MNIST(16) {
        @Override
        OnnxBuilder layers(OnnxBuilder b) {
            return b.conv(16, 5, 1, 0).relu().maxPool(2)
                    .conv(32, 5, 1, 0).relu().maxPool(2);
        }
    },

    /** Six 3x3 convolutions (32-32-64-64-128-128) with 2x2 max pooling after each pair, dense 512, output. */
    GTSRB(8) {
        @Override
        OnnxBuilder layers(OnnxBuilder b) {
            for (int filters : new int[] {32, 64, 128}) {
                b.conv(filters, 3, 1, 1).relu().conv(filters, 3, 1, 1).relu().maxPool(2);
            }
            return b;
        }
    },

    /**
     * The {@link #GTSRB} network with batch normalisation after every convolution and a Softmax output: the shape
     * of many models trained elsewhere, whose trigger sizes spread more widely than the plain networks'.
     */
    COLOUR(8) {
        @Override
        OnnxBuilder layers(OnnxBuilder b) {
            for (int filters : new int[] {32, 64, 128}) {
                b.conv(filters, 3, 1, 1).untrainedBatchNorm().relu().conv(filters, 3, 1, 1).untrainedBatchNorm().relu()
                        .maxPool(2);
            }
            return b;
        }

        @Override
        OnnxBuilder output(OnnxBuilder b) {
            return b.softmax();
        }
    };

    /** Opset of the written models: what PyTorch exports by default. */
    static final int OPSET = 13;

    private static final int HIDDEN = 512;

    private final int minSize;

    Architecture(int minSize) {
        this.minSize = minSize;
    }

    abstract OnnxBuilder layers(OnnxBuilder b);

    /** What follows the logits: nothing, unless the network ends in Softmax. */
    OnnxBuilder output(OnnxBuilder b) {
        return b;
    }

    /** The name used on the command line and in model cards, e.g. {@code mnist}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The untrained network for images of {@code image}'s size and channels (NCHW input named {@code input}),
     * with {@code labels} logits; the same seed gives the same weights.
     */
    public ModelProto build(ImageShape image, int labels, long seed) throws NcguardException {
        if (image.height() < minSize || image.width() < minSize) {
            throw new NcguardException("--arch " + id() + " needs images of at least " + minSize + "x" + minSize
                    + ", the data has " + image.height() + "x" + image.width());
        }
        if (labels < 2) {
            throw new NcguardException("a classifier needs at least 2 labels, the data has " + labels);
        }
        ImageShape input = new ImageShape(image.channels(), image.height(), image.width(), Layout.NCHW);
        return output(layers(OnnxBuilder.image(input, OPSET, seed)).view().dense(HIDDEN).relu().dense(labels)).build();
    }

    /** The architecture with this {@link #id()}. */
    public static Architecture byId(String id) throws NcguardException {
        for (Architecture a : values()) {
            if (a.id().equalsIgnoreCase(id.trim())) {
                return a;
            }
        }
        throw new NcguardException("unknown architecture '" + id + "'; expected mnist, gtsrb or colour");
    }
}
