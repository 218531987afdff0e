package org.ncguard.engine;

import static org.ncguard.engine.OnnxAttributes.attr;
import static org.ncguard.engine.OnnxAttributes.ints;
import static org.ncguard.engine.OnnxAttributes.tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.ncguard.AtomicFiles;
import org.ncguard.onnx.Onnx.GraphProto;
import org.ncguard.onnx.Onnx.ModelProto;
import org.ncguard.onnx.Onnx.NodeProto;
import org.ncguard.onnx.Onnx.OperatorSetIdProto;
import org.ncguard.onnx.Onnx.TensorProto;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Writes sequential image classifiers in the op forms {@code torch.onnx} emits (Conv with pads, Gemm with
 * transB=1, the Shape/Gather/Unsqueeze/Concat/Reshape chain of {@code x.view(x.size(0), -1)}), with seeded random
 * weights (He initialisation). Used for test fixtures and for the architectures the lab trains.
 */
public final class OnnxBuilder {

    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("ncguard");
    private final SplittableRandom random;
    private final long opset;
    private final ImageShape inputShape;
    private String current;
    private long[] shape; // without batch: [C, H, W] while spatial, [F] after flattening
    private int counter;

    private OnnxBuilder(String inputName, ImageShape input, long opset, long seed) {
        this.random = new SplittableRandom(seed);
        this.opset = opset;
        this.inputShape = input;
        this.current = inputName;
        graph.addInput(ModelEditor.floatTensor(inputName, input.batchShape(-1)));
        if (input.layout() == Layout.NHWC) {
            // tf2onnx and permute-first PyTorch models: NHWC in, Transpose to NCHW.
            String out = next("transpose");
            graph.addNode(node("Transpose", out, current).addAttribute(ints("perm", 0, 3, 1, 2)));
            current = out;
        }
        this.shape = new long[] {input.channels(), input.height(), input.width()};
    }

    /** Starts a model whose input is named {@code input}, exported with the given opset. */
    public static OnnxBuilder image(ImageShape input, long opset, long seed) {
        if (opset < 11 || opset > 17) {
            throw new IllegalArgumentException("opset must be within 11..17, found " + opset);
        }
        return new OnnxBuilder("input", input, opset, seed);
    }

    public OnnxBuilder conv(int filters, int kernel, int stride, int pad) {
        long in = shape[0];
        String w = weight("conv.weight", he(in * kernel * kernel, filters, in, kernel, kernel));
        String b = weight("conv.bias", Nd4j.zeros(filters));
        String out = next("conv");
        graph.addNode(node("Conv", out, current, w, b)
                .addAttribute(ints("dilations", 1, 1))
                .addAttribute(attr("group", 1))
                .addAttribute(ints("kernel_shape", kernel, kernel))
                .addAttribute(ints("pads", pad, pad, pad, pad))
                .addAttribute(ints("strides", stride, stride)));
        current = out;
        shape = new long[] {filters, (shape[1] + 2L * pad - kernel) / stride + 1, (shape[2] + 2L * pad - kernel) / stride + 1};
        return this;
    }

    /** Inference batch normalisation with mildly random statistics, as a trained network would have. */
    public OnnxBuilder batchNorm() {
        long c = shape[0];
        return batchNorm(uniform(c, 0.75, 1.25), normal(c, 0.1), normal(c, 0.1), uniform(c, 0.75, 1.25));
    }

    /** Batch normalisation as an untrained network starts: scale 1, bias 0, running mean 0 and variance 1. */
    public OnnxBuilder untrainedBatchNorm() {
        long c = shape[0];
        return batchNorm(Nd4j.ones(DataType.FLOAT, c), Nd4j.zeros(DataType.FLOAT, c), Nd4j.zeros(DataType.FLOAT, c),
                Nd4j.ones(DataType.FLOAT, c));
    }

    private OnnxBuilder batchNorm(INDArray scaleValue, INDArray biasValue, INDArray meanValue, INDArray varValue) {
        String scale = weight("bn.weight", scaleValue);
        String bias = weight("bn.bias", biasValue);
        String mean = weight("bn.running_mean", meanValue);
        String var = weight("bn.running_var", varValue);
        String out = next("bn");
        graph.addNode(node("BatchNormalization", out, current, scale, bias, mean, var)
                .addAttribute(attr("epsilon", 1e-5f))
                .addAttribute(attr("momentum", 0.9f)));
        current = out;
        return this;
    }

    public OnnxBuilder relu() {
        return unary("Relu");
    }

    public OnnxBuilder maxPool(int size) {
        String out = next("pool");
        graph.addNode(node("MaxPool", out, current)
                .addAttribute(attr("ceil_mode", 0))
                .addAttribute(ints("kernel_shape", size, size))
                .addAttribute(ints("pads", 0, 0, 0, 0))
                .addAttribute(ints("strides", size, size)));
        current = out;
        shape = new long[] {shape[0], shape[1] / size, shape[2] / size};
        return this;
    }

    /** {@code x.view(x.size(0), -1)} as PyTorch exports it: Shape, Gather, Unsqueeze, Concat, Reshape. */
    public OnnxBuilder view() {
        String shapeOut = next("shape");
        graph.addNode(node("Shape", shapeOut, current));
        String index = constant("gather.index", Nd4j.scalar(0L));
        String batch = next("gather");
        graph.addNode(node("Gather", batch, shapeOut, index).addAttribute(attr("axis", 0)));
        String unsqueezed = next("unsqueeze");
        if (opset >= 13) {
            graph.addNode(node("Unsqueeze", unsqueezed, batch, constant("unsqueeze.axes", Nd4j.createFromArray(0L))));
        } else {
            graph.addNode(node("Unsqueeze", unsqueezed, batch).addAttribute(ints("axes", 0)));
        }
        String minusOne = constant("concat.rest", Nd4j.createFromArray(-1L));
        String target = next("concat");
        graph.addNode(node("Concat", target, unsqueezed, minusOne).addAttribute(attr("axis", 0)));
        String out = next("reshape");
        graph.addNode(node("Reshape", out, current, target));
        current = out;
        shape = new long[] {shape[0] * shape[1] * shape[2]};
        return this;
    }

    /** {@code torch.flatten(x, 1)}: a Flatten node. */
    public OnnxBuilder flatten() {
        String out = next("flatten");
        graph.addNode(node("Flatten", out, current).addAttribute(attr("axis", 1)));
        current = out;
        shape = new long[] {shape[0] * shape[1] * shape[2]};
        return this;
    }

    /** {@code nn.Linear}: Gemm with weights [out, in] and transB=1. */
    public OnnxBuilder dense(int units) {
        if (shape.length != 1) {
            throw new IllegalStateException("dense layers need flat features: call view() or flatten() first");
        }
        long in = shape[0];
        String w = weight("fc.weight", he(in, units, in));
        String b = weight("fc.bias", Nd4j.zeros(units));
        String out = next("fc");
        graph.addNode(node("Gemm", out, current, w, b)
                .addAttribute(attr("alpha", 1f))
                .addAttribute(attr("beta", 1f))
                .addAttribute(attr("transB", 1)));
        current = out;
        shape = new long[] {units};
        return this;
    }

    public OnnxBuilder softmax() {
        String out = next("softmax");
        graph.addNode(node("Softmax", out, current).addAttribute(attr("axis", 1)));
        current = out;
        return this;
    }

    /** Finishes the graph with its output named {@code output}. */
    public ModelProto build() {
        GraphProto.Builder g = graph.clone();
        g.addNode(node("Identity", "output", current));
        g.addOutput(ModelEditor.floatTensor("output", new long[] {-1, shape[0]}));
        return ModelProto.newBuilder()
                .setIrVersion(opset >= 15 ? 8 : 7)
                .setProducerName("ncguard")
                .setProducerVersion(Versions.ncguard())
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(g)
                .build();
    }

    public void write(Path file) throws IOException {
        AtomicFiles.write(file, build().toByteArray());
    }

    public ImageShape inputShape() {
        return inputShape;
    }

    private OnnxBuilder unary(String op) {
        String out = next(op.toLowerCase(java.util.Locale.ROOT));
        graph.addNode(node(op, out, current));
        current = out;
        return this;
    }

    private INDArray he(long fanIn, long... dims) {
        float[] v = new float[(int) java.util.Arrays.stream(dims).reduce(1, (a, b) -> a * b)];
        double std = Math.sqrt(2.0 / fanIn);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (gaussian() * std);
        }
        return Nd4j.create(v, dims, 'c');
    }

    private INDArray uniform(long n, double lo, double hi) {
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (lo + (hi - lo) * random.nextDouble());
        }
        return Nd4j.createFromArray(v);
    }

    private INDArray normal(long n, double std) {
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (gaussian() * std);
        }
        return Nd4j.createFromArray(v);
    }

    private double gaussian() {
        double u = 1 - random.nextDouble();
        double w = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * w);
    }

    private String weight(String role, INDArray value) {
        String name = "layer" + counter + "." + role;
        graph.addInitializer(OnnxTensors.toTensor(name, value));
        return name;
    }

    private String constant(String role, INDArray value) {
        String name = next(role);
        graph.addNode(NodeProto.newBuilder().setOpType("Constant").setName(name).addOutput(name)
                .addAttribute(tensor("value", OnnxTensors.toTensor(name, value))));
        return name;
    }

    private String next(String role) {
        return "/" + role + "_" + (++counter);
    }

    private static NodeProto.Builder node(String op, String output, String... inputs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(output + "/" + op).addOutput(output);
        for (String in : inputs) {
            n.addInput(in);
        }
        return n;
    }
}
