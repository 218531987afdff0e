package org.ncguard.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ncguard.reverse.LabelResult;
import org.ncguard.reverse.ScanReport;

/**
 * The paper's own figures beside ours: only numbers confirmed from a published source may go here, each with where it
 * comes from. The paper's tables could not be checked where this page was made, so none of them is quoted rather than
 * one remembered wrongly; the authors' repository publishes one scan's output, which is.
 */
final class PaperNumbers {

    /** The authors' repository (github.com/bolunwang/backdoor), its README: the outlier test on its GTSRB model. */
    private static final double AUTHORS_INDEX = 3.652087;
    private static final double AUTHORS_TARGET_L1 = 16.117647;
    private static final double AUTHORS_MEDIAN_L1 = 64.466667;

    private PaperNumbers() {
    }

    static Section section(Runs.Outcome o) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("the authors' example (their repository's README)", "GTSRB, 43 labels, 4x4 white square "
                + "bottom-right -> 33", fixed(AUTHORS_INDEX), fixed(AUTHORS_TARGET_L1), fixed(AUTHORS_MEDIAN_L1),
                fixed(AUTHORS_TARGET_L1 / AUTHORS_MEDIAN_L1)));
        for (Runs.TaskRun t : o.tasks()) {
            if (!t.task().id().equals("signs")) {
                continue;
            }
            List<Double> index = new ArrayList<>();
            List<Double> l1 = new ArrayList<>();
            List<Double> median = new ArrayList<>();
            for (Runs.SeedRun s : t.seeds()) {
                ScanReport r = s.infected();
                LabelResult target = r.result(t.task().target()).orElse(null);
                if (target != null && target.converged()) {
                    index.add(target.anomalyIndex());
                    l1.add(target.l1());
                    median.add(r.median());
                }
            }
            if (!index.isEmpty()) {
                rows.add(List.of("this run, " + t.task().id() + " (mean ± sd over seeds)", t.task().title() + " -> "
                        + t.task().target(),
                        Stats.meanSpread(index, 2), Stats.meanSpread(l1, 1), Stats.meanSpread(median, 1),
                        Stats.meanSpread(ratios(l1, median), 2)));
            }
        }
        return new Section("The paper's numbers", List.of("Wang et al., \"Neural Cleanse: Identifying and Mitigating "
                + "Backdoor Attacks in Neural Networks\", IEEE S&P 2019. Its tables could not be checked against the "
                + "paper's text when this page was generated, so no number of its tables is quoted beside ours: "
                + "compare with Table II (attack success and accuracy), Fig. 3 (anomaly index), Fig. 4 (triggers), "
                + "Fig. 5 (filter, pruning) and Table IV (unlearning) of the paper itself. The authors' repository "
                + "(github.com/bolunwang/backdoor) publishes the output of its outlier test on an infected GTSRB "
                + "model, the paper's traffic-sign task, with the same trigger as this page's sign task; it is below "
                + "beside this run's. What this page takes from the paper is its method: the outlier threshold of 2 "
                + "on the anomaly index, FNR at FPRs of 1, 5, 10 and 20%, pruning in order of the activation gap, and "
                + "unlearning on 10% of the training data with 20% of it stamped."),
                List.of(new Section.Table("The authors' published scan beside this run's", List.of("source", "model",
                        "anomaly index of the target", "target's L1", "median L1", "target / median"), rows)),
                List.of());
    }

    private static List<Double> ratios(List<Double> a, List<Double> b) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            out.add(a.get(i) / b.get(i));
        }
        return out;
    }

    private static String fixed(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
