package org.ncguard.engine.translate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.ncguard.NcguardException;
import org.ncguard.engine.OnnxGraph;
import org.ncguard.engine.OnnxTensors;
import org.ncguard.onnx.Onnx.AttributeProto;
import org.ncguard.onnx.Onnx.NodeProto;
import org.ncguard.onnx.Onnx.TensorProto;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Shape and layout ops: Flatten, Reshape, Transpose, Concat, Identity, Dropout, and the constant-folded shape
 * arithmetic exporters emit (Constant, ConstantOfShape, Shape, Gather, Unsqueeze, Squeeze, Concat, Cast, Slice), e.g. PyTorch's
 * {@code x.view(x.size(0), -1)} which becomes Shape -> Gather -> Unsqueeze -> Concat -> Reshape.
 */
final class ShapeOps {

    private ShapeOps() {}

    static void register(Map<String, OpMapper> mappers) {
        mappers.put("Identity", (n, c) -> c.alias(n, c.input(n, 0)));
        mappers.put("Dropout", (n, c) -> {
            // Inference: pass-through. A mask output, if anyone reads it, is not supported.
            if (n.getOutputCount() > 1 && !n.getOutput(1).isEmpty()) {
                throw TranslationContext.unsupported(n, "the mask output of Dropout is not supported");
            }
            c.alias(n, c.input(n, 0));
        });
        mappers.put("Constant", ShapeOps::constant);
        mappers.put("Shape", ShapeOps::shape);
        mappers.put("Gather", ShapeOps::gather);
        mappers.put("Unsqueeze", ShapeOps::unsqueeze);
        mappers.put("Squeeze", ShapeOps::squeeze);
        mappers.put("Cast", ShapeOps::cast);
        mappers.put("Slice", ShapeOps::slice);
        mappers.put("ConstantOfShape", ShapeOps::constantOfShape);
        mappers.put("Concat", ShapeOps::concat);
        mappers.put("Flatten", ShapeOps::flatten);
        mappers.put("Reshape", ShapeOps::reshape);
        mappers.put("Transpose", ShapeOps::transpose);
    }

    static boolean mentionsBatch(INDArray a) {
        return a.dataType() == DataType.LONG && Arrays.stream(a.toLongVector()).anyMatch(v -> v == Value.BATCH);
    }

    private static void constant(NodeProto node, TranslationContext ctx) throws NcguardException {
        AttributeProto a = node.getAttribute(0);
        INDArray value = switch (a.getName()) {
            case "value" -> OnnxTensors.toArray(a.getT());
            case "value_float" -> Nd4j.scalar(a.getF());
            case "value_floats" -> Nd4j.createFromArray(toFloats(a.getFloatsList()));
            case "value_int" -> Nd4j.scalar(a.getI());
            case "value_ints" -> Nd4j.createFromArray(a.getIntsList().stream().mapToLong(Long::longValue).toArray());
            default -> throw TranslationContext.unsupported(node, "Constant with attribute '" + a.getName()
                    + "' is not supported; expected value, value_float(s) or value_int(s)");
        };
        ctx.putConstant(node, 0, value);
    }

    private static float[] toFloats(List<Float> list) {
        float[] f = new float[list.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = list.get(i);
        }
        return f;
    }

    private static void shape(NodeProto node, TranslationContext ctx) throws NcguardException {
        long[] shape = ctx.shape(node, 0);
        long[] folded = Arrays.stream(shape).map(d -> d < 0 ? Value.BATCH : d).toArray();
        long start = OnnxGraph.intAttribute(node, "start", 0);
        long end = OnnxGraph.intAttribute(node, "end", folded.length);
        int from = Shapes.axis(start, folded.length);
        int to = Math.min(folded.length, Shapes.axis(end, folded.length));
        ctx.putConstant(node, 0, Nd4j.createFromArray(Arrays.copyOfRange(folded, from, to)));
    }

    private static void gather(NodeProto node, TranslationContext ctx) throws NcguardException {
        Value data = ctx.input(node, 0);
        if (!data.isConstant() || data.rank() != 1 || OnnxGraph.intAttribute(node, "axis", 0) != 0) {
            throw TranslationContext.unsupported(node, "Gather is supported on constant 1-D tensors (shape "
                    + "arithmetic) only; found data of shape " + TranslationContext.shapeString(data.shape()));
        }
        long[] values = data.constant().castTo(DataType.LONG).toLongVector();
        INDArray indices = ctx.constant(node, 1, "indices");
        long[] idx = indices.castTo(DataType.LONG).toLongVector();
        long[] out = new long[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = values[Shapes.axis(idx[i], values.length)];
        }
        INDArray result = Nd4j.createFromArray(out);
        ctx.putConstant(node, 0, indices.rank() == 0 ? result.reshape() : result.reshape(indices.shape()));
    }

    private static long[] axes(NodeProto node, TranslationContext ctx) throws NcguardException {
        if (ctx.opset() >= 13) {
            return ctx.hasInput(node, 1) ? ctx.constant(node, 1, "axes").castTo(DataType.LONG).toLongVector() : null;
        }
        return OnnxGraph.intsAttribute(node, "axes", null);
    }

    private static void unsqueeze(NodeProto node, TranslationContext ctx) throws NcguardException {
        Value in = ctx.input(node, 0);
        long[] axes = axes(node, ctx);
        int rank = in.rank() + axes.length;
        List<Long> shape = new ArrayList<>();
        Arrays.stream(in.shape()).forEach(shape::add);
        long[] sorted = Arrays.stream(axes).map(a -> Shapes.axis(a, rank)).sorted().toArray();
        for (long a : sorted) {
            shape.add((int) a, 1L);
        }
        reshapeTo(node, ctx, in, shape.stream().mapToLong(Long::longValue).toArray());
    }

    private static void squeeze(NodeProto node, TranslationContext ctx) throws NcguardException {
        Value in = ctx.input(node, 0);
        long[] shape = in.shape();
        long[] axes = axes(node, ctx);
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < shape.length; i++) {
            final int axis = i;
            boolean drop = axes == null ? shape[i] == 1
                    : Arrays.stream(axes).anyMatch(a -> Shapes.axis(a, shape.length) == axis);
            if (!drop) {
                out.add(shape[i]);
            }
        }
        reshapeTo(node, ctx, in, out.stream().mapToLong(Long::longValue).toArray());
    }

    /** Reshape where the target is fully known except the batch (-1). */
    private static void reshapeTo(NodeProto node, TranslationContext ctx, Value in, long[] shape) throws NcguardException {
        if (in.isConstant()) {
            ctx.putConstant(node, 0, in.constant().reshape(shape));
        } else {
            ctx.put(node, 0, ctx.sd().reshape(in.variable(), shape), shape);
        }
    }

    private static void cast(NodeProto node, TranslationContext ctx) throws NcguardException {
        Value in = ctx.input(node, 0);
        long to = OnnxGraph.intAttribute(node, "to", 1);
        boolean toFloat = to == TensorProto.DataType.FLOAT_VALUE;
        boolean toLong = to == TensorProto.DataType.INT64_VALUE
                || to == TensorProto.DataType.INT32_VALUE;
        if (in.isConstant() && (toFloat || toLong)) {
            ctx.putConstant(node, 0, in.constant().castTo(toFloat ? DataType.FLOAT : DataType.LONG));
        } else if (!in.isConstant() && toFloat) {
            ctx.alias(node, in);
        } else {
            throw TranslationContext.unsupported(node, "Cast to type " + to + " is not supported; expected FLOAT or INT64");
        }
    }

    /** Slice of a constant (shape arithmetic, PyTorch's pad computation), any axes and steps. */
    private static void slice(NodeProto node, TranslationContext ctx) throws NcguardException {
        Value in = ctx.input(node, 0);
        if (!in.isConstant()) {
            throw TranslationContext.unsupported(node, "Slice is supported on constants (shape arithmetic) only");
        }
        INDArray data = in.constant();
        int rank = data.rank();
        long[] starts;
        long[] ends;
        long[] axes;
        long[] steps;
        if (ctx.opset() >= 10) {
            starts = ctx.constant(node, 1, "starts").castTo(DataType.LONG).toLongVector();
            ends = ctx.constant(node, 2, "ends").castTo(DataType.LONG).toLongVector();
            axes = ctx.hasInput(node, 3) ? ctx.constant(node, 3, "axes").castTo(DataType.LONG).toLongVector() : null;
            steps = ctx.hasInput(node, 4) ? ctx.constant(node, 4, "steps").castTo(DataType.LONG).toLongVector() : null;
        } else {
            starts = OnnxGraph.intsAttribute(node, "starts", new long[0]);
            ends = OnnxGraph.intsAttribute(node, "ends", new long[0]);
            axes = OnnxGraph.intsAttribute(node, "axes", null);
            steps = null;
        }
        INDArrayIndex[] index = new INDArrayIndex[rank];
        Arrays.fill(index, NDArrayIndex.all());
        for (int i = 0; i < starts.length; i++) {
            int axis = axes == null ? i : Shapes.axis(axes[i], rank);
            long n = data.size(axis);
            long step = steps == null ? 1 : steps[i];
            long from = clampSliceBound(starts[i], n, step);
            long to = clampSliceBound(ends[i], n, step);
            List<Long> picked = new ArrayList<>();
            for (long k = from; step > 0 ? k < to : k > to; k += step) {
                picked.add(k);
            }
            index[axis] = NDArrayIndex.indices(picked.stream().mapToLong(Long::longValue).toArray());
        }
        ctx.putConstant(node, 0, data.get(index).dup('c'));
    }

    /** ONNX Slice bounds: negative counts from the end, then clamped ([0,n] going forward, [-1,n-1] backward). */
    private static long clampSliceBound(long bound, long n, long step) {
        long b = bound < 0 ? bound + n : bound;
        return step > 0 ? Math.max(0, Math.min(n, b)) : Math.max(-1, Math.min(n - 1, b));
    }

    private static void constantOfShape(NodeProto node, TranslationContext ctx) throws NcguardException {
        long[] shape = ctx.constant(node, 0, "shape").castTo(DataType.LONG).toLongVector();
        INDArray fill = OnnxGraph.attribute(node, "value").map(a -> OnnxTensors.toArray(a.getT()))
                .orElse(Nd4j.scalar(0f));
        INDArray out = Nd4j.create(fill.dataType(), shape);
        ctx.putConstant(node, 0, out.assign(fill.getDouble(0)));
    }

    private static void concat(NodeProto node, TranslationContext ctx) throws NcguardException {
        int count = node.getInputCount();
        Value first = ctx.input(node, 0);
        int axis = Shapes.axis(OnnxGraph.intAttribute(node, "axis", 0), first.rank());
        boolean allConstant = true;
        for (int i = 0; i < count; i++) {
            allConstant &= ctx.input(node, i).isConstant();
        }
        if (allConstant) {
            INDArray[] parts = new INDArray[count];
            for (int i = 0; i < count; i++) {
                INDArray c = ctx.input(node, i).constant();
                parts[i] = c.rank() == 0 ? c.reshape(1) : c;
            }
            ctx.putConstant(node, 0, Nd4j.concat(axis, parts));
            return;
        }
        SDVariable[] parts = new SDVariable[count];
        long[] shape = first.shape();
        shape[axis] = 0;
        for (int i = 0; i < count; i++) {
            parts[i] = ctx.variable(node, i);
            shape[axis] += ctx.shape(node, i)[axis];
        }
        ctx.put(node, 0, ctx.sd().concat(axis, parts), shape);
    }

    private static void flatten(NodeProto node, TranslationContext ctx) throws NcguardException {
        Value in = ctx.input(node, 0);
        long[] shape = in.shape();
        int axis = Shapes.axis(OnnxGraph.intAttribute(node, "axis", 1), shape.length);
        long inner = Shapes.product(shape, axis, shape.length);
        long outer = Shapes.product(shape, 0, axis);
        if (inner < 0 || (outer < 0 && axis != 1)) {
            throw TranslationContext.unsupported(node, "Flatten with axis " + axis + " of shape "
                    + TranslationContext.shapeString(shape) + " would mix the batch into the features; expected axis 1");
        }
        reshapeTo(node, ctx, in, new long[] {outer, inner});
    }

    private static void reshape(NodeProto node, TranslationContext ctx) throws NcguardException {
        Value in = ctx.input(node, 0);
        long[] inShape = in.shape();
        long[] target = ctx.constant(node, 1, "target shape").castTo(DataType.LONG).toLongVector();
        boolean allowZero = OnnxGraph.intAttribute(node, "allowzero", 0) == 1;
        long[] out = new long[target.length];
        int inferred = -1;
        int batchAt = -1;
        long known = 1;
        for (int i = 0; i < target.length; i++) {
            long d = target[i] == 0 && !allowZero ? (inShape[i] < 0 ? Value.BATCH : inShape[i]) : target[i];
            if (d == Value.BATCH) {
                batchAt = i;
            } else if (d == -1) {
                inferred = i;
            } else {
                known *= d;
            }
            out[i] = d;
        }
        boolean inputHasBatch = Arrays.stream(inShape).anyMatch(d -> d < 0);
        long[] fixedDims = withoutBatch(inShape);
        long features = Shapes.product(fixedDims, 0, fixedDims.length);
        if (!inputHasBatch) {
            if (inferred >= 0) {
                out[inferred] = features / known;
            }
            reshapeTo(node, ctx, in, out);
            return;
        }
        boolean fits;
        if (batchAt >= 0 && inferred >= 0) {
            fits = features % known == 0;
            out[inferred] = features / known;
        } else if (batchAt >= 0) {
            fits = known == features;
        } else {
            fits = inferred >= 0 && known == features;
            batchAt = inferred; // reshape(-1, 512): the unknown dimension is the batch
        }
        if (!fits) {
            throw TranslationContext.unsupported(node, "cannot reshape " + TranslationContext.shapeString(inShape)
                    + " to " + TranslationContext.shapeString(target) + " while keeping the batch dimension");
        }
        out[batchAt] = -1;
        reshapeTo(node, ctx, in, out);
    }

    private static long[] withoutBatch(long[] shape) {
        return Arrays.stream(shape).filter(d -> d >= 0).toArray();
    }

    private static void transpose(NodeProto node, TranslationContext ctx) throws NcguardException {
        Value in = ctx.input(node, 0);
        int rank = in.rank();
        long[] perm = OnnxGraph.intsAttribute(node, "perm", null);
        int[] p = new int[rank];
        for (int i = 0; i < rank; i++) {
            p[i] = perm == null ? rank - 1 - i : (int) perm[i];
        }
        long[] shape = in.shape();
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            out[i] = shape[p[i]];
        }
        if (in.isConstant()) {
            ctx.putConstant(node, 0, in.constant().permute(p).dup('c'));
        } else {
            ctx.put(node, 0, ctx.sd().permute(in.variable(), p), out);
        }
    }
}
