package org.ncguard.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ncguard.reverse.LabelResult;

/**
 * The paper's scaling problem: a scan's cost grows with the label count. Scan time, optimisation steps and the verdict
 * of the full search and of early detection ({@code --fast}: a short search for every label, the full one for the
 * outliers) on the glyph tasks of 10 to 500+ labels.
 */
final class ScalingFigure {

    private ScalingFigure() {
    }

    static Section section(Runs.Outcome o) {
        List<List<String>> rows = new ArrayList<>();
        PngPlot plot = new PngPlot("Scan time against label count", "labels (log scale)", "scan seconds").logX();
        for (String mode : o.scaling().stream().map(Runs.ScalingRun::mode).distinct().toList()) {
            List<Runs.ScalingRun> runs = o.scaling().stream().filter(r -> r.mode().equals(mode)).toList();
            plot.series(mode.startsWith("fast") ? "early detection (" + mode + ")" : "full search", runs.stream()
                    .mapToDouble(Runs.ScalingRun::labels).toArray(), runs.stream().mapToDouble(r -> r.scan()
                    .seconds()).toArray(), null, true);
        }
        for (Runs.ScalingRun r : o.scaling()) {
            int steps = r.scan().labels().stream().mapToInt(LabelResult::steps).sum();
            boolean right = DetectionFigure.right(r.scan().flagged(), true, r.target());
            rows.add(List.of(Integer.toString(r.labels()), r.mode(), String.format(Locale.ROOT, "%.0f",
                    r.scan().seconds()), String.format(Locale.ROOT, "%.2f", r.scan().seconds() / r.labels()),
                    Integer.toString(steps), DetectionFigure.num(DetectionFigure.smallestIndex(r.scan())),
                    DetectionFigure.labels(r.scan().flagged()), right ? "yes" : "**no**"));
        }
        return new Section("Scaling: scan time against label count", List.of("Infected glyph models (a 4x4 white "
                + "square sends any glyph to label 7), each scanned once with the full search and once with early "
                + "detection. The verdict holds when ncguard flags exactly the target."),
                List.of(new Section.Table("Scan time and verdict", List.of("labels", "scan", "seconds",
                        "seconds per label", "optimisation steps", "anomaly index", "flagged", "verdict holds"), rows)),
                o.scaling().isEmpty() ? List.of() : List.of(Section.Figure.plot("scaling-scan-time.png",
                        "Scan seconds against label count, full search and early detection", plot)));
    }
}
