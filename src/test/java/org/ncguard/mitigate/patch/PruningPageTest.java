package org.ncguard.mitigate.patch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ncguard.engine.ParityResult;

/** The pruning page names the layer that was pruned and shows the floor beside the real trigger's curve. */
class PruningPageTest {

    @Test
    void aSpatialCurveIsLabelledAsSpatialUnitsWithTheUnstampedShare() {
        String page = PruningPage.html(curve(PruneLayer.SPATIAL), 1, card());
        assertTrue(page.contains("spatial units"), page);
        assertFalse(page.contains("penultimate neurons"), page);
        assertTrue(page.contains("data-series=\"unstamped images in the target\""), page);
        assertTrue(page.contains("2 of 512 spatial units"), page);
    }

    @Test
    void eachLayerHasItsOwnLabel() {
        assertTrue(PruningPage.html(curve(PruneLayer.PENULTIMATE), 1, card()).contains("penultimate neurons"));
        assertTrue(PruningPage.html(curve(PruneLayer.CONV), 1, card()).contains("last conv channels"));
    }

    private static PruningCurve curve(PruneLayer layer) {
        return new PruningCurve(layer, 512, List.of(
                new PruningCurve.Point(0, 0, new Measurement(0.89, 0.98, 0.99, 0.005, Map.of())),
                new PruningCurve.Point(2, 2 / 512.0, new Measurement(0.888, 0.004, 0.009, 0.005, Map.of()))));
    }

    private static PatchCard card() {
        Measurement m = new Measurement(0.89, 0.98, 0.99, 0.005, Map.of());
        return new PatchCard("patched.onnx", "a".repeat(64), "model.onnx", "b".repeat(64), "prune", List.of(7),
                "square:4:white:bottom-right", 7, m, m, null, true, "attack success fell under 1.00%", Map.of(),
                Map.of(), new ParityResult(4, 1e-6, 1, true), 1.0, "2026-01-01T00:00:00Z", Map.of());
    }
}
