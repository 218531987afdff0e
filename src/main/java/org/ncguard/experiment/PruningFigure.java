package org.ncguard.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ncguard.mitigate.patch.PruneLayer;

/**
 * Fig. 5b/c: attack success and clean accuracy as more units are pruned, in the penultimate layer (5b) and in the
 * last convolution (5c), and beside them the last convolution's output at each position, which {@code patch --layer
 * auto} tries first (scan seed 1 plotted; the table covers every seed).
 */
final class PruningFigure {

    private PruningFigure() {
    }

    static Section section(Runs.Outcome o) {
        List<List<String>> rows = new ArrayList<>();
        List<Section.Figure> figures = new ArrayList<>();
        for (PruneLayer layer : PruneLayer.values()) {
            PngPlot plot = new PngPlot("Pruning the " + layer.id() + " layer", "units pruned (%)",
                    "percent").yRange(0, 100);
            boolean any = false;
            for (Runs.TaskRun t : o.tasks()) {
                List<PruningFigures> curves = new ArrayList<>();
                for (Runs.SeedRun s : t.seeds()) {
                    s.pruning().stream().filter(p -> p.layer().equals(layer.id())).forEach(curves::add);
                }
                if (curves.isEmpty()) {
                    continue;
                }
                List<PruningFigures.Point> first = curves.get(0).points();
                double[] x = first.stream().mapToDouble(p -> 100 * p.fraction()).toArray();
                plot.series(t.task().id() + ": attack success", x,
                        first.stream().mapToDouble(p -> 100 * p.realAttackSuccess()).toArray(), null, true);
                plot.series(t.task().id() + ": accuracy", x,
                        first.stream().mapToDouble(p -> 100 * p.accuracy()).toArray(), null, true);
                any = true;
                List<Double> fraction = new ArrayList<>();
                List<Double> before = new ArrayList<>();
                List<Double> after = new ArrayList<>();
                List<Double> accBefore = new ArrayList<>();
                List<Double> accAfter = new ArrayList<>();
                int met = 0;
                for (PruningFigures c : curves) {
                    PruningFigures.Point start = c.points().get(0);
                    PruningFigures.Point end = c.points().get(c.points().size() - 1);
                    fraction.add(end.fraction());
                    before.add(start.realAttackSuccess());
                    after.add(end.realAttackSuccess());
                    accBefore.add(start.accuracy());
                    accAfter.add(end.accuracy());
                    met += c.goalMet() ? 1 : 0;
                }
                rows.add(List.of(t.task().id(), layer.id(), Integer.toString(curves.get(0).units()),
                        Stats.percent(fraction), Stats.percent(before), Stats.percent(after), Stats.percent(accBefore),
                        Stats.percent(accAfter), met + " of " + curves.size()));
            }
            if (any) {
                String name = switch (layer) {
                    case PENULTIMATE -> "Fig. 5b";
                    case CONV -> "Fig. 5c";
                    case SPATIAL -> "Not in the paper (what patch --layer auto tries first)";
                };
                String file = switch (layer) {
                    case PENULTIMATE -> "fig5b-pruning-penultimate.png";
                    case CONV -> "fig5c-pruning-conv.png";
                    case SPATIAL -> "pruning-spatial.png";
                };
                figures.add(Section.Figure.plot(file, String.format(Locale.ROOT, "%s: real trigger's "
                        + "attack success and clean accuracy as %s units are pruned in order of their activation gap "
                        + "(scan seed 1)", name, layer.id()), plot));
            }
        }
        return new Section("Fig. 5b/c: pruning", List.of(String.format(Locale.ROOT, "Units are zeroed in order of how "
                + "much the flagged labels' reversed triggers excite them (0.5%% of the layer per step, spatial units one "
                + "at a time for the first 2%%) until every trigger's attack success is under %.0f%% or "
                + "clean accuracy has fallen %.0f points.",
                100 * PruningFigures.TARGET_SUCCESS, 100 * PruningFigures.MAX_ACCURACY_DROP)),
                List.of(new Section.Table("Where pruning stopped (mean ± sd over seeds)", List.of("task", "layer",
                        "units", "pruned", "attack success before", "after", "accuracy before", "after",
                        "attack under the target"), rows)), figures);
    }
}
