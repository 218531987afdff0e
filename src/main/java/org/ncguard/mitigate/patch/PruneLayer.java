package org.ncguard.mitigate.patch;

import java.util.List;
import java.util.Locale;
import org.ncguard.NcguardException;

/**
 * Where pruning zeroes units: the last convolution's output at each position (tried first by default), the penultimate
 * layer's neurons (the paper's default) or the last convolution's channels.
 */
public enum PruneLayer {

    /**
     * The inputs of the first dense layer after the last convolution: one unit per channel and position of the last
     * conv block's output, as the dense layer reads it once flattened. A small trigger excites a few channels at its
     * own positions only, so zeroing those units removes its path and leaves the rest of the image alone. Measured on
     * five BadNets models (a 4x4 corner square; two lab Fashion-MNIST models, a PyTorch-trained one, two sign models),
     * the real trigger's attack success fell under 1% after 2-12 units for at most 0.6 points of accuracy, while
     * within the same 2-point budget the penultimate layer left 2.3-90% and the channels 1.4-98% on four of them.
     */
    SPATIAL,

    /** Neurons of the activation that feeds the last dense layer. */
    PENULTIMATE,

    /** Output channels of the last convolution, which the paper found worked better on some models. */
    CONV;

    /** The {@code --layer} value that tries every layer in turn. */
    public static final String AUTO = "auto";

    /**
     * Units zeroed in the next step, {@code pruned} units in, unless told otherwise. Neurons and channels go 0.5% of
     * the layer at a time, at least one, as the paper's curves do. Spatial units go one at a time for the first 2% of
     * the layer: a small trigger lives in a handful of them, and a coarser step overshoots (on a lab Fashion-MNIST
     * model, 2 units left 0.97% attack success, 3 left 1.19%). Past that the trigger is not a small one, and 0.5% steps
     * reach the accuracy budget in fewer measurements.
     */
    public int defaultStep(int units, int pruned) {
        int halfPercent = Math.max(1, (int) Math.ceil(units / 200.0));
        return this == SPATIAL && pruned < 4 * halfPercent ? 1 : halfPercent;
    }

    /** The name used on the command line and in cards. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The layer with this {@link #id()}. */
    private static PruneLayer byId(String id) throws NcguardException {
        for (PruneLayer layer : values()) {
            if (layer.id().equalsIgnoreCase(id.trim())) {
                return layer;
            }
        }
        throw new NcguardException("unknown --layer '" + id + "'; expected " + AUTO + ", spatial, penultimate or conv");
    }

    /**
     * The layers {@code --layer id} asks for, in the order to try them: {@value #AUTO} is every layer, spatial units
     * first. Spatial units remove a small local trigger within a few units; a trigger spread over the image (the
     * experiment's watermark) is better pruned in the penultimate layer.
     */
    public static List<PruneLayer> choice(String id) throws NcguardException {
        return id.trim().equalsIgnoreCase(AUTO) ? List.of(values()) : List.of(byId(id));
    }
}
