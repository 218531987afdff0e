package org.ncguard.engine;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.ncguard.NcguardException;
import org.ncguard.onnx.Onnx.ModelProto;
import org.ncguard.onnx.Onnx.NodeProto;
import org.ncguard.onnx.Onnx.OperatorSetIdProto;
import org.ncguard.onnx.Onnx.TensorProto;
import org.ncguard.onnx.Onnx.TensorShapeProto;
import org.ncguard.onnx.Onnx.ValueInfoProto;

/**
 * An ONNX image classifier as ncguard understands it: file identity (bytes, sha256), the image input, the
 * number of labels, whether it ends in a Softmax, and the penultimate activation.
 *
 * <p>Everything is checked once, here, so that later stages can trust the model: one image-shaped input with a
 * fixed size (only the batch may be dynamic), and an output produced by a final dense layer.
 */
public final class OnnxModel {

    /** Ops that only pass their input on; walked through when looking for the last dense layer. */
    private static final Set<String> PASS_THROUGH = Set.of("Identity", "Dropout", "Flatten", "Reshape");

    private final String source;
    private final byte[] bytes;
    private final String sha256;
    private final ModelProto proto;
    private final OnnxGraph graph;
    private final long opset;
    private final ModelInput input;
    private final String outputName;
    private final OutputKind outputKind;
    private final String logitsName;
    private final int labels;
    private final Penultimate penultimate;

    private OnnxModel(String source, byte[] bytes, ModelProto proto) throws NcguardException {
        this.source = source;
        this.bytes = bytes;
        this.sha256 = sha256(bytes);
        this.proto = proto;
        this.graph = new OnnxGraph(proto.getGraph());
        this.opset = proto.getOpsetImportList().stream()
                .filter(o -> o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx"))
                .mapToLong(OperatorSetIdProto::getVersion)
                .findFirst()
                .orElse(1);
        this.input = readInput();
        if (proto.getGraph().getOutputCount() == 0) {
            throw new NcguardException(source + " declares no graph output; a classifier needs one output of shape [batch, labels]");
        }
        this.outputName = proto.getGraph().getOutput(0).getName();

        // Walk back from the output through Softmax and pass-through ops to the last dense layer.
        String tensor = outputName;
        OutputKind kind = OutputKind.LOGITS;
        String logits = outputName;
        NodeProto node = graph.producer(tensor).orElse(null);
        // LogSoftmax keeps the output kind "logits": softmax of log-probabilities gives the same probabilities.
        while (node != null && (PASS_THROUGH.contains(node.getOpType()) || node.getOpType().endsWith("Softmax"))) {
            if (node.getOpType().equals("Softmax")) {
                kind = OutputKind.PROBABILITIES;
                logits = node.getInput(0);
            }
            tensor = node.getInput(0);
            node = graph.producer(tensor).orElse(null);
        }
        this.outputKind = kind;
        this.logitsName = logits;
        DenseLayer dense = findDense(node);
        this.labels = dense.outputs;
        this.penultimate = new Penultimate(dense.dataInput, dense.inputs);
    }

    /** Reads and checks an ONNX file. */
    public static OnnxModel load(Path path) throws NcguardException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new NcguardException("model file not found: " + path + " (give the path of an .onnx file)");
        } catch (IOException e) {
            throw new NcguardException("cannot read model file " + path + ": " + e.getMessage(), e);
        }
        return fromBytes(path.toString(), bytes);
    }

    /** Parses and checks an ONNX model held in memory; {@code source} names it in messages. */
    public static OnnxModel fromBytes(String source, byte[] bytes) throws NcguardException {
        ModelProto proto;
        try {
            proto = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new NcguardException(source + " is not an ONNX model (" + e.getMessage()
                    + "); export one with torch.onnx.export or tf2onnx", e);
        }
        if (!proto.hasGraph() || proto.getGraph().getNodeCount() == 0) {
            throw new NcguardException(source + " is not an ONNX model (no graph nodes found); "
                    + "export one with torch.onnx.export or tf2onnx");
        }
        return new OnnxModel(source, bytes, proto);
    }

    private ModelInput readInput() throws NcguardException {
        List<String> inputs = graph.dataInputs();
        if (inputs.size() != 1) {
            throw new NcguardException(source + " has " + inputs.size() + " data inputs " + inputs
                    + "; ncguard needs exactly one image input");
        }
        ValueInfoProto info = proto.getGraph().getInputList().stream()
                .filter(v -> v.getName().equals(inputs.get(0)))
                .findFirst()
                .orElseThrow();
        if (info.getType().getTensorType().getElemType() != TensorProto.DataType.FLOAT_VALUE) {
            throw new NcguardException("input '" + info.getName() + "' has element type "
                    + TensorProto.DataType.forNumber(info.getType().getTensorType().getElemType())
                    + "; ncguard needs a FLOAT image input");
        }
        List<TensorShapeProto.Dimension> dims = info.getType().getTensorType().getShape().getDimList();
        if (dims.size() != 4) {
            throw new NcguardException("input '" + info.getName() + "' has shape " + describe(dims)
                    + "; ncguard needs an image batch of rank 4, [batch, channels, height, width] or "
                    + "[batch, height, width, channels]");
        }
        long[] fixed = new long[4];
        String[] axis = {"batch", "dimension 1", "dimension 2", "dimension 3"};
        for (int i = 1; i < 4; i++) {
            TensorShapeProto.Dimension d = dims.get(i);
            if (!d.hasDimValue() || d.getDimValue() <= 0) {
                throw new NcguardException("input '" + info.getName() + "' has shape " + describe(dims) + ": "
                        + axis[i] + " is dynamic; only the batch dimension may be dynamic, re-export with a "
                        + "fixed image size (dynamic_axes on the batch only)");
            }
            fixed[i] = d.getDimValue();
        }
        boolean channelsFirst = fixed[1] == 1 || fixed[1] == 3;
        boolean channelsLast = fixed[3] == 1 || fixed[3] == 3;
        ImageShape shape;
        if (channelsFirst) {
            shape = new ImageShape((int) fixed[1], (int) fixed[2], (int) fixed[3], Layout.NCHW);
        } else if (channelsLast) {
            shape = new ImageShape((int) fixed[3], (int) fixed[1], (int) fixed[2], Layout.NHWC);
        } else {
            throw new NcguardException("input '" + info.getName() + "' has shape " + describe(dims)
                    + "; ncguard needs 1 or 3 channels, first (NCHW) or last (NHWC)");
        }
        return new ModelInput(info.getName(), shape);
    }

    private record DenseLayer(String dataInput, int inputs, int outputs) {}

    private DenseLayer findDense(NodeProto node) throws NcguardException {
        String hint = "; ncguard needs a classifier whose output comes from a dense layer (Gemm, or MatMul with an "
                + "optional Add), optionally followed by Softmax";
        if (node == null) {
            throw new NcguardException(source + ": the output '" + outputName + "' is not produced by any node" + hint);
        }
        if (node.getOpType().equals("Add")) {
            NodeProto matmul = null;
            for (String in : node.getInputList()) {
                NodeProto p = graph.producer(in).orElse(null);
                if (p != null && p.getOpType().equals("MatMul")) {
                    matmul = p;
                }
            }
            if (matmul == null) {
                throw new NcguardException(source + ": the output comes from " + OnnxGraph.describe(node) + hint);
            }
            node = matmul;
        }
        switch (node.getOpType()) {
            case "Gemm" -> {
                long[] w = weightShape(node, node.getInput(1));
                boolean transB = OnnxGraph.intAttribute(node, "transB", 0) == 1;
                return new DenseLayer(node.getInput(0), (int) (transB ? w[1] : w[0]), (int) (transB ? w[0] : w[1]));
            }
            case "MatMul" -> {
                int weightIndex = graph.isInitializer(node.getInput(1)) ? 1 : 0;
                long[] w = weightShape(node, node.getInput(weightIndex));
                if (weightIndex == 0) {
                    throw new NcguardException(source + ": " + OnnxGraph.describe(node)
                            + " multiplies weights by activations; ncguard expects activations x weights");
                }
                return new DenseLayer(node.getInput(0), (int) w[0], (int) w[1]);
            }
            default -> throw new NcguardException(source + ": the output comes from " + OnnxGraph.describe(node) + hint);
        }
    }

    private long[] weightShape(NodeProto node, String name) throws NcguardException {
        TensorProto w = graph.initializer(name).orElseThrow(() -> new NcguardException(source + ": the weights of "
                + OnnxGraph.describe(node) + " are computed, not stored; ncguard needs them as an initializer"));
        if (w.getDimsCount() != 2) {
            throw new NcguardException(source + ": the weights of " + OnnxGraph.describe(node) + " have rank "
                    + w.getDimsCount() + ", expected 2");
        }
        return new long[] {w.getDims(0), w.getDims(1)};
    }

    private static String describe(List<TensorShapeProto.Dimension> dims) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < dims.size(); i++) {
            TensorShapeProto.Dimension d = dims.get(i);
            s.append(i > 0 ? ", " : "").append(d.hasDimValue() ? String.valueOf(d.getDimValue())
                    : d.getDimParam().isEmpty() ? "?" : d.getDimParam());
        }
        return s.append(']').toString();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    /** Where the model came from (a file path), for messages and reports. */
    public String source() {
        return source;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String sha256() {
        return sha256;
    }

    public ModelProto proto() {
        return proto;
    }

    public OnnxGraph graph() {
        return graph;
    }

    /** Version of the default ONNX operator set the model was exported with. */
    public long opset() {
        return opset;
    }

    public ModelInput input() {
        return input;
    }

    public String outputName() {
        return outputName;
    }

    public OutputKind outputKind() {
        return outputKind;
    }

    /** The pre-softmax scores: the output itself, or the input of the final Softmax. */
    public String logitsName() {
        return logitsName;
    }

    public int labels() {
        return labels;
    }

    public Penultimate penultimate() {
        return penultimate;
    }

    public List<String> ops() {
        return graph.opTypes();
    }
}
