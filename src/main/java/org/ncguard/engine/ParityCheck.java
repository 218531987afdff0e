package org.ncguard.engine;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Compares the differentiable graph's forward pass with ONNX Runtime on the same inputs. A translation that does
 * not pass is never used silently: ORT is the reference, since it is what serves the model in production.
 */
public final class ParityCheck {

    /** Allowed difference, relative to the largest output magnitude (or absolute when outputs are below 1). */
    public static final double RELATIVE_TOLERANCE = 1e-4;

    private ParityCheck() {}

    /** Runs both engines on {@code samples} uniform random images in [0, 1). */
    public static ParityResult run(DifferentiableModel graph, OrtScorer scorer, int samples, long seed) {
        ImageShape shape = graph.model().input().shape();
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[samples * shape.size()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextDouble();
        }
        return compare(graph, scorer, pixels, samples);
    }

    /** Runs both engines on the given images (model layout, preprocessing applied). */
    public static ParityResult compare(DifferentiableModel graph, OrtScorer scorer, float[] pixels, int n) {
        List<Scores> reference = scorer.score(pixels, n);
        float[][] translated = graph.forward(pixels, n);
        double maxDiff = 0;
        double scale = 0;
        for (int i = 0; i < n; i++) {
            float[] expected = reference.get(i).output();
            for (int j = 0; j < expected.length; j++) {
                maxDiff = Math.max(maxDiff, Math.abs(expected[j] - translated[i][j]));
                scale = Math.max(scale, Math.abs(expected[j]));
            }
        }
        boolean ok = maxDiff <= RELATIVE_TOLERANCE * Math.max(1.0, scale);
        return new ParityResult(n, maxDiff, scale, ok);
    }
}
