package org.ncguard.mitigate.patch;

/**
 * How pruning proceeds.
 *
 * @param layer             where units are zeroed
 * @param step              units zeroed per step (0: the layer's {@link PruneLayer#defaultStep default})
 * @param targetSuccess     stop once every measured trigger's attack success is below this
 * @param maxAccuracyDrop   stop before clean accuracy falls more than this below the original's (a share, 0.02 = 2
 *                          points)
 */
public record PruneSettings(PruneLayer layer, int step, double targetSuccess, double maxAccuracyDrop) {

    public PruneSettings {
        if (layer == null) {
            throw new IllegalArgumentException("a layer is required");
        }
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0 (0 = the layer's default), found " + step);
        }
        if (!(targetSuccess > 0 && targetSuccess <= 1)) {
            throw new IllegalArgumentException("target attack success must be in (0, 1], found " + targetSuccess);
        }
        if (!(maxAccuracyDrop >= 0 && maxAccuracyDrop <= 1)) {
            throw new IllegalArgumentException("max accuracy drop must be in [0, 1], found " + maxAccuracyDrop);
        }
    }

    /** Units in the next step for a layer of {@code units} of which {@code pruned} are pruned. */
    public int stepFor(int units, int pruned) {
        return step > 0 ? Math.min(step, units) : layer.defaultStep(units, pruned);
    }
}
