package org.ncguard.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ncguard.data.Batch;
import org.ncguard.data.DataSources;
import org.ncguard.data.ImageSource;
import org.ncguard.data.Preprocessor;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;
import org.ncguard.engine.NativeThreads;
import org.ncguard.engine.OnnxBuilder;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.OnnxTensors;

/**
 * Training normalises with each batch's statistics and writes their running average into the model, as ONNX
 * defines it: checked against the convolution's output computed independently by ONNX Runtime.
 */
class BatchNormTrainingTest {

    private static final int CHANNELS = 4;

    @Test
    void oneStepAveragesTheBatchStatisticsIntoTheRunningOnes() throws Exception {
        NativeThreads.configure(1);
        try (ImageSource data = DataSources.open("builtin:signs?n=24")) {
            ImageShape input = new ImageShape(3, 32, 32, Layout.NCHW);
            OnnxModel untrained = OnnxModel.fromBytes("bn", OnnxBuilder.image(input, 13, 5)
                    .conv(CHANNELS, 3, 1, 1).untrainedBatchNorm().relu().view().dense(43).build().toByteArray());
            Preprocessor pre = new Preprocessor(Attack.inputFor(data.shape()));
            // One batch of every image, a learning rate too small to move a weight: the statistics of one step.
            TrainedModel trained = new Trainer(new TrainingOptions(1, 24, 1e-30, 1)).train(untrained, data, pre, null);

            float[][] convolved = convolve(OnnxBuilder.image(input, 13, 5).conv(CHANNELS, 3, 1, 1).build().toByteArray(),
                    pre.apply(data.batch(range(24))), 24);
            var graph = OnnxModel.fromBytes("trained", trained.proto().toByteArray()).graph();
            var bn = trained.proto().getGraph().getNodeList().stream()
                    .filter(n -> n.getOpType().equals("BatchNormalization")).findFirst().orElseThrow();
            float[] mean = OnnxTensors.toArray(graph.initializer(bn.getInput(3)).orElseThrow()).toFloatVector();
            float[] variance = OnnxTensors.toArray(graph.initializer(bn.getInput(4)).orElseThrow()).toFloatVector();
            for (int c = 0; c < CHANNELS; c++) {
                double[] moments = moments(convolved[c]);
                int n = convolved[c].length;
                assertEquals(0.1 * moments[0], mean[c], 1e-4 + 1e-4 * Math.abs(moments[0]), "running mean of channel " + c);
                assertEquals(0.9 + 0.1 * moments[1] * n / (n - 1), variance[c], 1e-4 + 1e-4 * moments[1],
                        "running variance of channel " + c);
            }
            assertTrue(Math.abs(mean[0]) > 1e-3, "the statistics moved from their start: " + mean[0]);
        }
    }

    @Test
    void colourNetworkEndsInSoftmaxWithBatchNormAfterEveryConvolution() throws Exception {
        var proto = Architecture.COLOUR.build(new ImageShape(3, 32, 32, Layout.NCHW), 10, 1);
        var ops = proto.getGraph().getNodeList().stream().map(n -> n.getOpType()).filter(op -> !op.equals("Identity"))
                .toList();
        assertEquals("Softmax", ops.get(ops.size() - 1));
        assertEquals(6, ops.stream().filter("Conv"::equals).count());
        assertEquals(6, ops.stream().filter("BatchNormalization"::equals).count());
        OnnxModel model = OnnxModel.fromBytes("colour", proto.toByteArray());
        assertEquals(10, model.labels());
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    /** The convolution's output per channel, all images and positions together. */
    private static float[][] convolve(byte[] model, float[] pixels, int images) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
                OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), new long[] {images, 3, 32, 32});
                OrtSession.Result out = session.run(Map.of(session.getInputNames().iterator().next(), x))) {
            float[][][][] y = (float[][][][]) out.get(0).getValue();
            float[][] perChannel = new float[CHANNELS][images * 32 * 32];
            for (int i = 0; i < images; i++) {
                for (int c = 0; c < CHANNELS; c++) {
                    for (int h = 0; h < 32; h++) {
                        System.arraycopy(y[i][c][h], 0, perChannel[c], (i * 32 + h) * 32, 32);
                    }
                }
            }
            return perChannel;
        }
    }

    /** Mean and biased variance. */
    private static double[] moments(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x;
        }
        double mean = sum / v.length;
        double squares = 0;
        for (float x : v) {
            squares += (x - mean) * (x - mean);
        }
        return new double[] {mean, squares / v.length};
    }
}
