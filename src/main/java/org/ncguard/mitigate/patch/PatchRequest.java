package org.ncguard.mitigate.patch;

import java.nio.file.Path;
import java.util.List;
import org.ncguard.data.TriggerSpec;

/**
 * Everything one patch run needs.
 *
 * @param model          the original ONNX model (never written)
 * @param scanDir        the folder of a complete scan of that model
 * @param out            where the patched model goes; its card, curve and page go beside it
 * @param method         prune or unlearn
 * @param data           clean images: pruning ranks units on them; unlearning trains on them unless
 *                       {@code trainData} is given
 * @param testData       held-out images to measure on; null for the built-in test split, or {@code data} itself
 * @param trainData      unlearning's training images; null for {@code data}
 * @param preprocessing  the model's preprocessing
 * @param samples        clean images that rank the units
 * @param testSamples    held-out images measured per step
 * @param realTrigger    the real trigger, when known; null otherwise
 * @param realTarget     its target; null without a real trigger
 * @param maxAccuracyDrop accuracy budget, a share (0.02 = 2 points)
 * @param targetSuccess  attack success under which the backdoor counts as gone
 * @param layers         pruning: where units are zeroed, tried in turn until one meets the goal (null: every layer)
 * @param step           pruning: units per step (0: the layer's default)
 * @param unlearn        unlearning settings
 * @param seed           seed of image choices
 * @param threads        native threads for ONNX Runtime and ND4J
 */
public record PatchRequest(Path model, Path scanDir, Path out, PatchMethod method, String data, String testData,
        String trainData, Preprocessing preprocessing, int samples, int testSamples, TriggerSpec realTrigger,
        Integer realTarget, double maxAccuracyDrop, double targetSuccess, List<PruneLayer> layers, int step,
        UnlearnSettings unlearn, long seed, int threads) {

    public PatchRequest {
        if (model == null || scanDir == null || out == null || method == null || data == null) {
            throw new IllegalArgumentException("model, scan, out, method and data are required");
        }
        if ((realTrigger == null) != (realTarget == null)) {
            throw new IllegalArgumentException("a real trigger needs a target and a target a trigger, found "
                    + realTrigger + " and " + realTarget);
        }
        if (samples < 1 || testSamples < 1) {
            throw new IllegalArgumentException("samples and test samples must be >= 1, found " + samples + " and "
                    + testSamples);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, found " + threads);
        }
        // validated here so that a bad budget fails before any image is read
        new PruneSettings(PruneLayer.SPATIAL, step, targetSuccess, maxAccuracyDrop);
        if (unlearn == null) {
            throw new IllegalArgumentException("unlearn settings are required (defaults when not unlearning)");
        }
        layers = layers == null || layers.isEmpty() ? List.of(PruneLayer.values()) : List.copyOf(layers);
    }

    /** The pruning settings of this request for {@code layer}. */
    public PruneSettings pruneSettings(PruneLayer layer) {
        return new PruneSettings(layer, step, targetSuccess, maxAccuracyDrop);
    }
}
