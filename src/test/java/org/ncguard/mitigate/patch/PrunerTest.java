package org.ncguard.mitigate.patch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ncguard.NcguardException;
import org.ncguard.mitigate.NeuronGaps;

/** Which step pruning keeps, and the order it prunes in. */
class PrunerTest {

    private static PruningCurve.Point point(int pruned, double accuracy, double attack) {
        return new PruningCurve.Point(pruned, pruned / 100.0, new Measurement(accuracy, attack, null, null, Map.of()));
    }

    @Test
    void keepsTheLowestAttackSuccessWithinTheBudget() {
        List<PruningCurve.Point> points = List.of(point(0, 0.90, 0.99), point(3, 0.90, 0.40), point(6, 0.89, 0.05),
                point(9, 0.87, 0.001));
        assertEquals(2, Pruner.best(points, 0.88), "the last step is below the accuracy floor");
        assertEquals(3, Pruner.best(points, 0.86));
    }

    @Test
    void keepsTheOriginalWhenEveryStepBreaksTheBudget() {
        assertEquals(0, Pruner.best(List.of(point(0, 0.90, 0.99), point(3, 0.80, 0.10)), 0.89));
    }

    @Test
    void tiesGoToFewerPrunedUnits() {
        assertEquals(1, Pruner.best(List.of(point(0, 0.9, 0.5), point(3, 0.9, 0.0), point(6, 0.9, 0.0)), 0.8));
    }

    @Test
    void ranksUnitsByTheirLargestGapOverTheFlaggedLabels() {
        float[] clean = {0, 0, 0, 0};
        float[] std = {1, 1, 1, 1};
        NeuronGaps first = new NeuronGaps(clean, std, new float[] {0.1f, 2f, 0.5f, 0f});
        NeuronGaps second = new NeuronGaps(clean, std, new float[] {3f, 0f, 0.5f, 0f});
        UnitRanking ranking = UnitRanking.combine(List.of(first, second));
        assertArrayEquals(new int[] {0, 1, 2, 3}, ranking.order());
        assertArrayEquals(new int[] {0, 1}, ranking.top(2));
    }

    @Test
    void theDefaultStepIsHalfAPercentOfTheLayerAfterTheFirstSpatialUnitsOneByOne() {
        PruneSettings settings = new PruneSettings(PruneLayer.PENULTIMATE, 0, 0.01, 0.02);
        assertEquals(3, settings.stepFor(512, 0));
        assertEquals(3, settings.stepFor(512, 3));
        assertEquals(1, settings.stepFor(32, 0));
        PruneSettings spatial = new PruneSettings(PruneLayer.SPATIAL, 0, 0.01, 0.02);
        assertEquals(1, spatial.stepFor(800, 0));
        assertEquals(1, spatial.stepFor(800, 15));
        assertEquals(4, spatial.stepFor(800, 16), "one at a time for the first 2% of the layer, then 0.5%");
        assertEquals(5, new PruneSettings(PruneLayer.CONV, 5, 0.01, 0.02).stepFor(32, 0));
    }

    @Test
    void autoTriesEveryLayerSpatialUnitsFirst() throws Exception {
        assertEquals(List.of(PruneLayer.SPATIAL, PruneLayer.PENULTIMATE, PruneLayer.CONV), PruneLayer.choice("auto"));
        assertEquals(List.of(PruneLayer.CONV), PruneLayer.choice(" Conv "));
        NcguardException e = assertThrows(NcguardException.class, () -> PruneLayer.choice("dense"));
        assertEquals("unknown --layer 'dense'; expected auto, spatial, penultimate or conv", e.getMessage());
    }
}
