package org.ncguard.mitigate.patch;

import java.util.List;

/**
 * What every pruning step measured: the paper's Fig. 5b/c.
 *
 * @param layer  the pruned layer
 * @param units  units in the layer
 * @param points step 0 (nothing pruned) first, then one per step
 */
public record PruningCurve(PruneLayer layer, int units, List<Point> points) {

    /**
     * One step.
     *
     * @param pruned   units zeroed so far
     * @param fraction {@code pruned / units}
     * @param measured the model's figures after the step
     */
    public record Point(int pruned, double fraction, Measurement measured) {}

    public PruningCurve {
        if (points == null || points.isEmpty()) {
            throw new IllegalArgumentException("a curve needs at least its starting point, found none");
        }
        points = List.copyOf(points);
    }
}
