package org.ncguard.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.ncguard.mitigate.patch.UnlearnSettings;

/**
 * Table 4: unlearning with the reversed trigger against the paper's references, the real trigger and clean-only
 * fine-tuning, and with {@code patch}'s default of more reversed triggers: clean accuracy and the real trigger's attack
 * success after each.
 */
final class UnlearningTable {

    private UnlearningTable() {
    }

    static Section section(Runs.Outcome o) {
        List<List<String>> rows = new ArrayList<>();
        for (Runs.TaskRun t : o.tasks()) {
            List<UnlearningFigures> runs = measured(t, Runs.SeedRun::unlearning);
            if (runs.isEmpty()) {
                continue;
            }
            List<String> row = new ArrayList<>(List.of(t.task().id()));
            for (Function<UnlearningFigures, UnlearningFigures.Row> pick : List.<Function<UnlearningFigures,
                    UnlearningFigures.Row>>of(UnlearningFigures::before, UnlearningFigures::reversed,
                    UnlearningFigures::real, UnlearningFigures::cleanOnly)) {
                addFigures(row, runs.stream().map(pick).toList());
            }
            List<UnlearningFigures> more = measured(t, Runs.SeedRun::unlearningMore);
            if (more.isEmpty()) {
                row.addAll(List.of("", ""));
            } else {
                addFigures(row, more.stream().map(UnlearningFigures::reversed).toList());
            }
            rows.add(row);
        }
        UnlearnSettings d = UnlearnSettings.defaults();
        String k = d.reversals() + " reversed triggers";
        return new Section("Table 4: unlearning", List.of("One epoch of fine-tuning on 10% of the training images, "
                + "20% of each batch stamped with a trigger and keeping its true label: the scan's reversed trigger "
                + "(the paper), the real trigger (the paper's reference), no stamps at all (clean-only fine-tuning, "
                + "the control). Last, ncguard patch's defaults: " + k + " (the scan's and " + (d.reversals() - 1)
                + " more searched with other seeds), " + d.epochs() + " epoch(s) on " + Math.round(100 * d.fraction())
                + "% of the training images, "
                + "each stamped image a copy beside its original and pulled to it in the penultimate layer (twin "
                + "weight " + d.twinWeight() + ")" + (d.frozenConvolutions() ? ", the convolutions frozen" : "")
                + ". Attack success is the real trigger's on held-out test images."),
                List.of(new Section.Table("Table 4 (mean ± sd over seeds)", List.of("task", "accuracy before",
                        "attack before", "accuracy, reversed trigger", "attack, reversed trigger",
                        "accuracy, real trigger", "attack, real trigger", "accuracy, clean only",
                        "attack, clean only", "accuracy, ncguard's defaults", "attack, ncguard's defaults"), rows)),
                List.of());
    }

    private static List<UnlearningFigures> measured(Runs.TaskRun t,
            Function<Runs.SeedRun, UnlearningFigures> step) {
        return t.seeds().stream().map(step).filter(Objects::nonNull).toList();
    }

    private static void addFigures(List<String> row, List<UnlearningFigures.Row> rows) {
        row.add(Stats.percent(rows.stream().map(UnlearningFigures.Row::accuracy).toList()));
        row.add(Stats.percent(rows.stream().map(UnlearningFigures.Row::attackSuccess).toList()));
    }
}
