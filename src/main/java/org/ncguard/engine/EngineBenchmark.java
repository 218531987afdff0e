package org.ncguard.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ncguard.NcguardException;
import org.ncguard.engine.backprop.InputGradients;
import org.ncguard.engine.translate.GraphTranslator;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Measures the two engines on one model: ONNX Runtime scoring throughput (batch 1 and 32, 1 and 2 threads) and
 * SameDiff forward+backward time per batch of 32, with and without ND4J's oneDNN helpers, and the input-gradient
 * pass of the trigger search with each engine. Prints figures; asserts nothing (speed goals live here, not in unit
 * tests).
 */
public final class EngineBenchmark {

    /** One measured figure. */
    public record Figure(String what, double value, String unit) {
        @Override
        public String toString() {
            return String.format("%-58s %10.2f %s", what, value, unit);
        }
    }

    private final OnnxModel model;
    private final double seconds;

    public EngineBenchmark(OnnxModel model, double secondsPerFigure) {
        this.model = model;
        this.seconds = secondsPerFigure;
    }

    public List<Figure> run(int maxThreads) throws NcguardException {
        List<Figure> figures = new ArrayList<>();
        for (int threads = 1; threads <= maxThreads; threads++) {
            try (OrtScorer scorer = new OrtScorer(model, new ScorerOptions(threads))) {
                for (int batch : new int[] {1, 32}) {
                    double perSecond = scoringRate(scorer, batch);
                    figures.add(new Figure("ORT scoring, batch " + batch + ", " + threads + " thread(s)", perSecond,
                            "images/s (" + String.format("%.1f", 1e6 / perSecond) + " us/image)"));
                }
            }
        }
        boolean helpers = Nd4j.getEnvironment().helpersAllowed();
        try {
            for (boolean onednn : new boolean[] {true, false}) {
                Nd4j.getEnvironment().allowHelpers(onednn);
                NativeThreads.configure(maxThreads);
                figures.add(new Figure("SameDiff forward+backward, batch 32, " + (onednn ? "oneDNN" : "no oneDNN")
                        + ", " + maxThreads + " thread(s)", trainingStepMillis(32), "ms/batch"));
            }
        } finally {
            Nd4j.getEnvironment().allowHelpers(helpers);
        }
        // What one Neural Cleanse mini-batch costs: 10 labels' stamps of 32 images, logits and input gradients.
        int stamped = 320;
        try (InputGradients ort = InputGradients.onnxRuntime(model, maxThreads)) {
            figures.add(new Figure("input gradient, batch " + stamped + ", ONNX Runtime, " + maxThreads + " thread(s)",
                    1000 * inputGradientSeconds(ort, stamped), "ms/batch"));
        }
        try (InputGradients sameDiff = InputGradients.sameDiff(model)) {
            figures.add(new Figure("input gradient, batch " + stamped + ", SameDiff, " + maxThreads + " thread(s)",
                    1000 * inputGradientSeconds(sameDiff, stamped), "ms/batch"));
        }
        return figures;
    }

    private double scoringRate(OrtScorer scorer, int batch) {
        float[] pixels = randomImages(batch);
        return batch / secondsPerRun(20, () -> scorer.score(pixels, batch));
    }

    /** Mean seconds of {@code work} over repeated runs for the configured time, after a warm-up. */
    private double secondsPerRun(int warmup, Runnable work) {
        for (int i = 0; i < warmup; i++) {
            work.run();
        }
        int runs = 0;
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        while (System.nanoTime() < deadline) {
            work.run();
            runs++;
        }
        return (System.nanoTime() - start) / 1e9 / runs;
    }

    /** Gradients of a cross-entropy loss for all weights; images and labels fed as placeholders, as in training. */
    private double trainingStepMillis(int batch) throws NcguardException {
        SameDiff sd = SameDiff.create();
        SDVariable images = sd.placeHolder("images", DataType.FLOAT, model.input().dims());
        SDVariable labels = sd.placeHolder("labels", DataType.FLOAT, -1, model.labels());
        DifferentiableModel graph = GraphTranslator.translate(model, sd, images);
        sd.setLossVariables(sd.loss().softmaxCrossEntropy("loss", labels, graph.logits(), null));
        INDArray target = Nd4j.zeros(DataType.FLOAT, batch, model.labels());
        for (int i = 0; i < batch; i++) {
            target.putScalar(i, i % model.labels(), 1f);
        }
        Map<String, INDArray> feed = Map.of("images",
                Nd4j.create(randomImages(batch), model.input().shape().batchShape(batch), 'c'), "labels", target);
        String[] names = graph.parameters().values().stream().map(SDVariable::name).toArray(String[]::new);
        Gradients.prepare(sd);
        return 1000 * secondsPerRun(3, () -> sd.calculateGradients(feed, names));
    }

    private double inputGradientSeconds(InputGradients engine, int batch) {
        float[] images = randomImages(batch);
        float[] targets = new float[batch * model.labels()];
        for (int i = 0; i < batch; i++) {
            targets[i * model.labels() + i % model.labels()] = 1f;
        }
        float[] logits = new float[targets.length];
        float[] gradient = new float[images.length];
        return secondsPerRun(3, () -> engine.compute(images, batch, targets, logits, gradient));
    }

    private float[] randomImages(int n) {
        SplittableRandom random = new SplittableRandom(1);
        float[] pixels = new float[n * model.input().shape().size()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextDouble();
        }
        return pixels;
    }
}
