package org.ncguard.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Table 2: the infected models' attack success and clean accuracy beside their clean twins', and whether each model
 * meets the bar (attack success at least 97%, accuracy within one point of the twin).
 */
final class AttackTable {

    static final double MIN_ATTACK_SUCCESS = 0.97;
    static final double MAX_ACCURACY_GAP = 0.01;

    private AttackTable() {
    }

    static Section section(Runs.Outcome o) {
        List<List<String>> rows = new ArrayList<>();
        for (Runs.TaskRun t : o.tasks()) {
            ModelFigures inf = t.infected();
            ModelFigures clean = t.clean();
            double gap = clean.accuracy() - inf.accuracy();
            boolean ok = inf.attackSuccess() >= MIN_ATTACK_SUCCESS && gap <= MAX_ACCURACY_GAP;
            rows.add(List.of(t.task().title(), t.task().paperTask(), t.task().trigger().spec() + " → "
                    + t.task().target(), pct(inf.attackSuccess()), pct(inf.accuracy()), pct(clean.accuracy()),
                    pct(clean.attackSuccess()), String.format(Locale.ROOT, "%+.2f", -100 * gap),
                    ok ? "yes" : "**no**", String.format(Locale.ROOT, "%.0f / %.0f", inf.trainingSeconds(),
                            clean.trainingSeconds())));
        }
        String n = o.tasks().isEmpty() ? "" : " on " + o.tasks().get(0).infected().samples() + " test images";
        return new Section("Table 2: attack success and clean accuracy", List.of(
                "Infected models are trained with " + Math.round(100 * Tasks.POISON_RATIO) + "% of each batch stamped"
                        + " and relabelled (BadNets), their clean twins from the same initial weights without it."
                        + " Every model measured with ONNX Runtime" + n + " per task; attack success counts stamped"
                        + " test images of other labels classified as the target (for a clean twin: what the trigger"
                        + " alone does)."
                        + " The bar: attack success at least 97% and accuracy within 1 point of the clean twin."),
                List.of(new Section.Table("Table 2", List.of("task", "paper's task", "trigger → target",
                        "attack success (infected)", "accuracy (infected)", "accuracy (clean twin)",
                        "trigger on the clean twin", "accuracy change (points)", "meets the bar",
                        "training s (infected / clean)"), rows)), List.of());
    }

    static String pct(double share) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * share);
    }
}
