package org.ncguard.mitigate.patch;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.ncguard.NcguardException;
import org.ncguard.data.Batch;
import org.ncguard.data.Preprocessor;
import org.ncguard.data.Trigger;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.ScorerOptions;
import org.ncguard.mitigate.NeuronGaps;
import org.ncguard.mitigate.Penultimates;

/**
 * The order in which pruning zeroes a layer's units: largest activation gap (stamped with a flagged label's reversed
 * trigger, minus clean) first, over the whole layer. With several flagged labels a unit counts by its largest gap,
 * so the units each trigger relies on come early.
 *
 * @param order units, most trigger-excited first
 * @param gaps  the combined gap of each unit (indexed by unit)
 */
public record UnitRanking(int[] order, float[] gaps) {

    public UnitRanking {
        if (order.length != gaps.length) {
            throw new IllegalArgumentException("expected one gap per ranked unit, found " + order.length + " units and "
                    + gaps.length + " gaps");
        }
    }

    /** Ranks {@code layer}'s units on canonical clean {@code images} and each of {@code triggers}. */
    public static UnitRanking measure(OnnxModel model, PrunableLayer layer, Preprocessor pre, Batch images,
            Map<Integer, Trigger> triggers, ScorerOptions threads) throws NcguardException {
        try (LayerActivations activations = new LayerActivations(model, layer.activation(), threads)) {
            Penultimates clean = activations.of(pre, images, null);
            if (clean.features() != layer.units()) {
                throw new NcguardException(model.source() + ": '" + layer.activation() + "' has " + clean.features()
                        + " values per image but the " + layer.kind().id() + " layer's weights read " + layer.units()
                        + "; ncguard cannot tell its units apart, use another --layer");
            }
            List<NeuronGaps> perLabel = new java.util.ArrayList<>();
            for (Trigger trigger : triggers.values()) {
                perLabel.add(NeuronGaps.measure(clean, activations.of(pre, images, trigger)));
            }
            return combine(perLabel);
        }
    }

    /** Each unit's largest gap over {@code perLabel}, units ordered by it (ties: lower unit first). */
    static UnitRanking combine(List<NeuronGaps> perLabel) {
        int units = perLabel.get(0).size();
        float[] gaps = new float[units];
        Arrays.fill(gaps, Float.NEGATIVE_INFINITY);
        for (NeuronGaps g : perLabel) {
            for (int u = 0; u < units; u++) {
                gaps[u] = Math.max(gaps[u], g.gap(u));
            }
        }
        int[] order = IntStream.range(0, units).boxed()
                .sorted(Comparator.comparingDouble((Integer u) -> -gaps[u]).thenComparingInt(u -> u))
                .mapToInt(Integer::intValue).toArray();
        return new UnitRanking(order, gaps);
    }

    /** The first {@code k} units of the order. */
    public int[] top(int k) {
        return Arrays.copyOf(order, Math.min(k, order.length));
    }
}
