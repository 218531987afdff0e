package org.ncguard.engine.translate;

import org.ncguard.NcguardException;
import org.ncguard.onnx.Onnx.NodeProto;

/** Static shape arithmetic; -1 stands for the batch dimension. */
final class Shapes {

    private Shapes() {}

    /** Numpy broadcasting of two shapes. */
    static long[] broadcast(NodeProto node, long[] a, long[] b) throws NcguardException {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long x = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            long y = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (x == y || y == 1) {
                out[i] = x;
            } else if (x == 1) {
                out[i] = y;
            } else {
                throw TranslationContext.unsupported(node, "cannot broadcast shapes " + TranslationContext.shapeString(a)
                        + " and " + TranslationContext.shapeString(b));
            }
        }
        return out;
    }

    /** Output length of a convolution or pooling window along one axis. */
    static long windowOutput(long in, long kernel, long stride, long padBegin, long padEnd, long dilation, boolean ceil) {
        long span = in + padBegin + padEnd - dilation * (kernel - 1) - 1;
        return (ceil ? Math.floorDiv(span + stride - 1, stride) : Math.floorDiv(span, stride)) + 1;
    }

    static int axis(long axis, int rank) {
        return (int) (axis < 0 ? axis + rank : axis);
    }

    /** Product of the dimensions from {@code from} (inclusive) to {@code to} (exclusive); -1 if the batch is among them. */
    static long product(long[] shape, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) {
            if (shape[i] < 0) {
                return -1;
            }
            p *= shape[i];
        }
        return p;
    }
}
