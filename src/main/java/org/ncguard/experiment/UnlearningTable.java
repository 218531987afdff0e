package org.ncguard.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Table 4: unlearning with the reversed trigger against the paper's references, the real trigger and clean-only
 * fine-tuning: clean accuracy and the real trigger's attack success after each.
 */
final class UnlearningTable {

    private UnlearningTable() {
    }

    static Section section(Runs.Outcome o) {
        List<List<String>> rows = new ArrayList<>();
        for (Runs.TaskRun t : o.tasks()) {
            List<UnlearningFigures> runs = t.seeds().stream().map(Runs.SeedRun::unlearning).filter(Objects::nonNull)
                    .toList();
            if (runs.isEmpty()) {
                continue;
            }
            List<String> row = new ArrayList<>(List.of(t.task().id()));
            for (Function<UnlearningFigures, UnlearningFigures.Row> pick : List.<Function<UnlearningFigures,
                    UnlearningFigures.Row>>of(UnlearningFigures::before, UnlearningFigures::reversed,
                    UnlearningFigures::real, UnlearningFigures::cleanOnly)) {
                row.add(Stats.percent(runs.stream().map(pick).map(UnlearningFigures.Row::accuracy).toList()));
                row.add(Stats.percent(runs.stream().map(pick).map(UnlearningFigures.Row::attackSuccess).toList()));
            }
            rows.add(row);
        }
        return new Section("Table 4: unlearning", List.of("One epoch of fine-tuning on 10% of the training images, "
                + "20% of each batch stamped with a trigger and keeping its true label: the scan's reversed trigger, "
                + "the real trigger (the paper's reference), or no stamps at all (clean-only fine-tuning, the "
                + "control). Attack success is the real trigger's on held-out test images."),
                List.of(new Section.Table("Table 4 (mean ± sd over seeds)", List.of("task", "accuracy before",
                        "attack before", "accuracy, reversed trigger", "attack, reversed trigger",
                        "accuracy, real trigger", "attack, real trigger", "accuracy, clean only",
                        "attack, clean only"), rows)), List.of());
    }
}
