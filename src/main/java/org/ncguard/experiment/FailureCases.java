package org.ncguard.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.ncguard.reverse.FlagRule;
import org.ncguard.reverse.LabelResult;
import org.ncguard.reverse.ScanReport;

/**
 * Where the method fails, measured in this run: outliers of Neural Cleanse's MAD test that ncguard's natural-feature
 * checks clear (innocent natural-feature labels, and sometimes a planted trigger that looks natural), planted targets
 * either rule misses (triggers that are not small, such as a watermark, or not outliers, such as a checkerboard), and
 * the innocent labels a model of hundreds of labels has below the outlier threshold by chance.
 */
final class FailureCases {

    private FailureCases() {
    }

    static Section section(Runs.Outcome o) {
        List<List<String>> natural = new ArrayList<>();
        List<List<String>> missed = new ArrayList<>();
        for (Runs.TaskRun t : o.tasks()) {
            int target = t.task().target();
            for (Runs.SeedRun s : t.seeds()) {
                for (boolean infected : List.of(true, false)) {
                    ScanReport r = infected ? s.infected() : s.clean();
                    // Cleared by the checks: picked by ncguard's size tests too, yet not flagged. An outlier that
                    // ncguard's raised thresholds do not pick is one of the many-label cases below.
                    Set<Integer> candidates = FlagRule.NCGUARD.withMadThreshold(r.threshold()).candidates(r.labels())
                            .keySet();
                    for (int label : r.outliers()) {
                        if (candidates.contains(label) && !r.flagged().contains(label)) {
                            LabelResult l = r.result(label).orElseThrow();
                            natural.add(List.of(t.task().id(), infected ? "infected" : "clean twin",
                                    Long.toString(s.seed()), label + (infected && label == target ? " (target)" : ""),
                                    String.format(Locale.ROOT, "%.1f / %.1f", l.l1(), r.median()),
                                    DetectionFigure.num(l.anomalyIndex()), l.naturalShare() == null ? "-"
                                            : String.format(Locale.ROOT, "%.0f%%", 100 * l.naturalShare()),
                                    l.transfer() == null ? "-"
                                            : String.format(Locale.ROOT, "%.1f%%", 100 * l.transfer())));
                        }
                    }
                }
                ScanReport r = s.infected();
                boolean ncCaught = r.outliers().contains(target);
                boolean ours = r.flagged().contains(target);
                if (!ncCaught || !ours) {
                    LabelResult l = r.result(target).orElse(null);
                    missed.add(List.of(t.task().id(), t.task().trigger().spec(), Long.toString(s.seed()),
                            l == null || !l.converged() ? "did not converge"
                                    : String.format(Locale.ROOT, "%.1f / %.1f (%.2f of the median)", l.l1(),
                                            r.median(), l.l1() / r.median()),
                            l == null ? "-" : DetectionFigure.num(l.anomalyIndex() == null ? Double.NaN
                                    : l.anomalyIndex()),
                            l == null || l.naturalShare() == null ? "-" : String.format(Locale.ROOT, "%.0f%%",
                                    100 * l.naturalShare()), ncCaught ? "yes" : "no", ours ? "yes" : "no"));
                }
            }
        }
        List<String> text = new ArrayList<>();
        text.add("Neural Cleanse assumes a backdoor's trigger is much smaller than any natural way to reach a label. "
                + "It fails in the ways measured below. (1) Natural-feature labels: a label can have a small "
                + "trigger because the label itself is easy to reach (garments that differ by a small patch, signs "
                + "that differ by a glyph); the MAD test then flags an innocent label. ncguard clears such a label "
                + "when its reversed trigger also moves images to it on a reference model it trains on the clean "
                + "images (the transfer), or when the stamped images land among the label's own clean images (the "
                + "natural share) and the trigger is not small; the same checks can clear a planted trigger that "
                + "looks natural.");
        text.add("(2) Planted triggers a rule misses: a trigger that is not small (a watermark blended over the whole "
                + "image) or not small enough to be an outlier of the L1 norms (a checkerboard; the scan's test on "
                + "ln L1 is meant for it) escapes the size test. Which of these happened in this run is in the "
                + "tables; the detection benchmark (README) has more seeds of these cases.");
        if (natural.isEmpty()) {
            text.add("No outlier of the MAD test was cleared as a natural feature in this run.");
        }
        if (missed.isEmpty()) {
            text.add("Every planted target was caught by both rules in this run.");
        }
        // A fixed index threshold is a test per label: with hundreds of labels some innocent ones pass it by chance.
        List<List<String>> crowded = new ArrayList<>();
        for (Runs.TaskRun t : o.tasks()) {
            for (Runs.SeedRun s : t.seeds()) {
                for (boolean infected : List.of(true, false)) {
                    ScanReport r = infected ? s.infected() : s.clean();
                    List<LabelResult> paper = innocent(r, r.outliers(), infected ? t.task().target() : -1);
                    List<LabelResult> ours = innocent(r, r.flagged(), infected ? t.task().target() : -1);
                    if (paper.size() > 1 || ours.size() > 1) {
                        List<LabelResult> wrong = paper.size() >= ours.size() ? paper : ours;
                        crowded.add(List.of(t.task().id(), infected ? "infected" : "clean twin",
                                Long.toString(s.seed()), Integer.toString(r.labelCount()),
                                Integer.toString(paper.size()), Integer.toString(ours.size()),
                                String.format(Locale.ROOT, "%.2f-%.2f", wrong.stream().mapToDouble(LabelResult::l1)
                                        .min().orElseThrow() / r.median(), wrong.stream()
                                        .mapToDouble(LabelResult::l1).max().orElseThrow() / r.median()),
                                DetectionFigure.num(wrong.stream().mapToDouble(LabelResult::anomalyIndex).max()
                                        .orElseThrow()),
                                wrong.stream().allMatch(l -> l.transfer() == null) ? "no" : "yes"));
                    }
                }
            }
        }
        if (!crowded.isEmpty()) {
            text.add("(3) Many labels: the outlier test asks every label whether its index is above 2, so with "
                    + "hundreds of labels a few innocent ones pass by chance (about 2% of the labels below the median "
                    + "for normally spread norms, more for the heavier tails of short searches). Their triggers are "
                    + "not features of the label (they neither look like its images nor transfer), so the natural-"
                    + "feature checks do not clear them. ncguard raises its thresholds with the label count instead, "
                    + "so that an innocent label passes as rarely as among 10 (3.33 and 3.67 on ln L1 at 520 labels); "
                    + "the paper's rule keeps 2. Scans where a rule flagged more than one innocent label are below "
                    + "(the figures describe the larger set).");
        }
        List<Section.Table> tables = new ArrayList<>();
        if (!crowded.isEmpty()) {
            tables.add(new Section.Table("Scans that flagged several innocent labels", List.of("task", "model",
                    "seed", "labels", "innocent labels, Neural Cleanse", "innocent labels, ncguard",
                    "their L1 / median", "their largest anomaly index", "transfer measured"), crowded));
        }
        if (!natural.isEmpty()) {
            tables.add(new Section.Table("Outliers of the MAD test cleared as natural features", List.of("task",
                    "model", "seed", "label", "L1 / median", "anomaly index", "natural share", "transfer"), natural));
        }
        if (!missed.isEmpty()) {
            tables.add(new Section.Table("Planted targets a rule missed", List.of("task", "trigger", "seed",
                    "target's L1 / median", "anomaly index", "natural share", "Neural Cleanse caught it",
                    "ncguard caught it"), missed));
        }
        return new Section("Where the method fails", text, tables, List.of());
    }

    /** The results of {@code labels} other than {@code target}. */
    private static List<LabelResult> innocent(ScanReport r, List<Integer> labels, int target) {
        return labels.stream().filter(l -> l != target).map(l -> r.result(l).orElseThrow()).toList();
    }
}
