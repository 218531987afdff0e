package org.ncguard.testing;

import java.io.IOException;
import java.nio.file.Path;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;
import org.ncguard.engine.OnnxBuilder;

/** Small random-weight models written by the project's own builder, in the shapes of the paper's networks. */
public final class ModelFixtures {

    private ModelFixtures() {}

    /** The paper's MNIST net: 2 conv + 2 dense on 28x28x1, logits, 10 labels. */
    public static Path mnist(Path dir, long opset) throws IOException {
        Path file = dir.resolve("mnist-opset" + opset + ".onnx");
        OnnxBuilder.image(new ImageShape(1, 28, 28, Layout.NCHW), opset, 1)
                .conv(16, 5, 1, 0).relu().maxPool(2)
                .conv(32, 5, 1, 0).relu().maxPool(2)
                .view().dense(512).relu().dense(10)
                .write(file);
        return file;
    }

    /** The paper's GTSRB net with batch norm: 6 conv 32-32-64-64-128-128, dense 512, 43 labels, Softmax. */
    public static Path gtsrb(Path dir) throws IOException {
        Path file = dir.resolve("gtsrb.onnx");
        OnnxBuilder b = OnnxBuilder.image(new ImageShape(3, 32, 32, Layout.NCHW), 13, 2);
        for (int filters : new int[] {32, 64, 128}) {
            b.conv(filters, 3, 1, 1).batchNorm().relu().conv(filters, 3, 1, 1).batchNorm().relu().maxPool(2);
        }
        b.view().dense(512).relu().dense(43).softmax().write(file);
        return file;
    }

    /** A model without convolutions: two dense layers on a flattened 28x28x1 image. */
    public static Path dense(Path dir) throws IOException {
        Path file = dir.resolve("dense.onnx");
        OnnxBuilder.image(new ImageShape(1, 28, 28, Layout.NCHW), 13, 4)
                .view().dense(64).relu().dense(10)
                .write(file);
        return file;
    }

    /** A channels-last model, as tf2onnx writes them: NHWC input, then Transpose. */
    public static Path nhwc(Path dir) throws IOException {
        Path file = dir.resolve("nhwc.onnx");
        OnnxBuilder.image(new ImageShape(3, 16, 16, Layout.NHWC), 13, 3)
                .conv(8, 3, 1, 1).relu().maxPool(2)
                .flatten().dense(32).relu().dense(5)
                .write(file);
        return file;
    }
}
