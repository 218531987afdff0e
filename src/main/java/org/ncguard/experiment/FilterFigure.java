package org.ncguard.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ncguard.mitigate.RocMath;

/**
 * Fig. 5a: the input filter's false-negative rate at false-positive rates of 1, 5, 10 and 20%, with the reversed and
 * with the real trigger, for the paper's score (mean activation of the top 1% of neurons) and ncguard's.
 */
final class FilterFigure {

    private FilterFigure() {
    }

    static Section section(Runs.Outcome o) {
        List<List<String>> rows = new ArrayList<>();
        PngPlot plot = new PngPlot("Input filter: FNR against FPR (ncguard's score)", "false-positive rate (%)",
                "false-negative rate (%)").yRange(0, 100);
        for (Runs.TaskRun t : o.tasks()) {
            List<FilterFigures> measured = t.seeds().stream().map(Runs.SeedRun::filter)
                    .filter(java.util.Objects::nonNull).toList();
            if (measured.isEmpty()) {
                continue;
            }
            double[] fprs = measured.get(0).fprs();
            for (String form : List.of("paper", "ncguard")) {
                for (boolean real : List.of(false, true)) {
                    List<String> row = new ArrayList<>(List.of(t.task().id(), form, real ? "real" : "reversed"));
                    double[] mean = new double[fprs.length];
                    double[] sd = new double[fprs.length];
                    for (int i = 0; i < fprs.length; i++) {
                        int at = i;
                        List<Double> fnr = measured.stream().map(f -> form(f, form))
                                .map(f -> real ? f.realFnr()[at] : f.reversedFnr()[at]).toList();
                        row.add(Stats.percent(fnr));
                        mean[i] = 100 * Stats.mean(fnr);
                        sd[i] = 100 * Stats.spread(fnr);
                    }
                    row.add(Stats.meanSpread(measured.stream().map(f -> form(f, form))
                            .map(f -> real ? f.realAuc() : f.reversedAuc()).toList(), 3));
                    rows.add(row);
                    if (form.equals("ncguard")) {
                        double[] x = new double[fprs.length];
                        for (int i = 0; i < x.length; i++) {
                            x[i] = 100 * fprs[i];
                        }
                        plot.series(t.task().id() + (real ? ", real" : ", reversed"), x, mean, sd, true);
                    }
                }
            }
        }
        List<String> header = new ArrayList<>(List.of("task", "score", "trigger"));
        for (double fpr : RocMath.REPORTED_FPRS) {
            header.add(String.format(Locale.ROOT, "FNR at %.0f%% FPR", 100 * fpr));
        }
        header.add("AUC");
        return new Section("Fig. 5a: filtering triggered inputs", List.of("The filter is built on the target label's "
                + "reversed trigger (ranking neurons on one third of the clean images, setting thresholds on another) "
                + "and measured on the held-out third: clean images, and images of other labels stamped with the "
                + "reversed or the real trigger that the model sends to the target."),
                List.of(new Section.Table("Fig. 5a in numbers (mean ± sd over seeds)", header, rows)),
                rows.isEmpty() ? List.of() : List.of(Section.Figure.plot("fig5a-filter.png", "Fig. 5a: false-negative"
                        + " rate of the input filter at each false-positive rate (ncguard's score; mean ± sd over seeds)",
                        plot)));
    }

    private static FilterFigures.Form form(FilterFigures f, String id) {
        return f.forms().stream().filter(x -> x.form().equals(id)).findFirst().orElseThrow();
    }
}
