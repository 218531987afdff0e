package org.ncguard.experiment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.ncguard.reverse.AnomalyIndex;
import org.ncguard.reverse.LabelResult;
import org.ncguard.reverse.ScanReport;

/**
 * Fig. 3: the anomaly index of infected and clean models (the smallest trigger's, as the paper plots it), the L1 norm
 * of the infected label against the uninfected labels', and every scan's verdict by Neural Cleanse's rule (MAD
 * outliers) and by ncguard's.
 */
final class DetectionFigure {

    private DetectionFigure() {
    }

    /** The anomaly index of the smallest trigger when it is below the median; 0 otherwise (no small outlier). */
    static double smallestIndex(ScanReport r) {
        Optional<LabelResult> smallest = r.smallestTrigger();
        if (smallest.isEmpty() || r.median() == null || smallest.get().l1() >= r.median()) {
            return 0;
        }
        return smallest.get().anomalyIndex();
    }

    /** The target's L1, or NaN when its search did not converge. */
    static double targetL1(ScanReport r, int target) {
        return r.result(target).filter(LabelResult::converged).map(LabelResult::l1).orElse(Double.NaN);
    }

    /** The uninfected labels' L1 norms. */
    static List<Double> otherL1(ScanReport r, int target) {
        return r.labels().stream().filter(l -> l.converged() && l.label() != target).map(LabelResult::l1).toList();
    }

    /** Whether a scan's verdict is right: the target and nothing else for an infected model, nothing for a clean one. */
    static boolean right(List<Integer> flagged, boolean infected, int target) {
        return infected ? flagged.equals(List.of(target)) : flagged.isEmpty();
    }

    static Section section(Runs.Outcome o) {
        List<List<String>> summary = new ArrayList<>();
        List<List<String>> scans = new ArrayList<>();
        List<String> names = new ArrayList<>();
        double[][] index = new double[2][o.tasks().size()];
        double[][] spread = new double[2][o.tasks().size()];
        double[] infectedL1 = new double[o.tasks().size()];
        double[] medianOthers = new double[o.tasks().size()];
        double[] minOthers = new double[o.tasks().size()];
        int right = 0;
        int rightNc = 0;
        int total = 0;
        for (int i = 0; i < o.tasks().size(); i++) {
            Runs.TaskRun t = o.tasks().get(i);
            int target = t.task().target();
            names.add(t.task().id());
            List<Double> infIdx = new ArrayList<>();
            List<Double> cleanIdx = new ArrayList<>();
            List<Double> targetIdx = new ArrayList<>();
            List<Double> l1 = new ArrayList<>();
            List<Double> others = new ArrayList<>();
            List<Double> othersMin = new ArrayList<>();
            for (Runs.SeedRun s : t.seeds()) {
                infIdx.add(smallestIndex(s.infected()));
                cleanIdx.add(smallestIndex(s.clean()));
                s.infected().result(target).map(LabelResult::anomalyIndex).ifPresent(targetIdx::add);
                l1.add(targetL1(s.infected(), target));
                List<Double> o2 = otherL1(s.infected(), target);
                others.add(median(o2));
                othersMin.add(o2.stream().min(Comparator.naturalOrder()).orElse(Double.NaN));
                for (boolean infected : List.of(true, false)) {
                    ScanReport r = infected ? s.infected() : s.clean();
                    boolean ok = right(r.flagged(), infected, target);
                    boolean okNc = right(r.outliers(), infected, target);
                    total++;
                    right += ok ? 1 : 0;
                    rightNc += okNc ? 1 : 0;
                    scans.add(List.of(t.task().id(), infected ? "infected (target " + target + ")" : "clean twin",
                            Long.toString(s.seed()), Scans.mode(settingsFast(r)), num(smallestIndex(r)),
                            labels(r.outliers()) + (okNc ? "" : " ✗"), labels(r.flagged()) + (ok ? "" : " ✗"),
                            String.format(Locale.ROOT, "%.0f", r.seconds())));
                }
            }
            index[0][i] = Stats.mean(infIdx);
            spread[0][i] = Stats.spread(infIdx);
            index[1][i] = Stats.mean(cleanIdx);
            spread[1][i] = Stats.spread(cleanIdx);
            infectedL1[i] = Stats.mean(l1);
            medianOthers[i] = Stats.mean(others);
            minOthers[i] = Stats.mean(othersMin);
            summary.add(List.of(t.task().id(), Stats.meanSpread(infIdx, 2), Stats.meanSpread(targetIdx, 2),
                    Stats.meanSpread(cleanIdx, 2), Stats.meanSpread(l1, 1), Stats.meanSpread(othersMin, 1),
                    Stats.meanSpread(others, 1)));
        }
        double[] x = new double[names.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        Section.Figure anomaly = Section.Figure.plot("fig3-anomaly-index.png", "Fig. 3a: anomaly index of the smallest "
                + "trigger, infected models against clean twins (mean ± sd over seeds; dashed: the threshold 2)",
                new PngPlot("Anomaly index of the smallest trigger", "task", "anomaly index").categories(names)
                        .reference(AnomalyIndex.DEFAULT_THRESHOLD)
                        .series("infected", shifted(x, -0.1), index[0], spread[0], false)
                        .series("clean twin", shifted(x, 0.1), index[1], spread[1], false));
        Section.Figure norms = Section.Figure.plot("fig3-l1-norms.png", "Fig. 3b: L1 norm of the infected label's reversed "
                + "trigger against the uninfected labels' (smallest and median), infected models",
                new PngPlot("L1 norm of reversed triggers", "task", "mask L1 norm").categories(names)
                        .series("infected label", shifted(x, -0.1), infectedL1, null, false)
                        .series("uninfected: smallest", x, minOthers, null, false)
                        .series("uninfected: median", shifted(x, 0.1), medianOthers, null, false));
        String verdicts = String.format(Locale.ROOT, "Verdicts right on %d of %d scans by ncguard's rule and on %d of %d"
                + " by Neural Cleanse's (right: exactly the target flagged on an infected model, nothing on a clean "
                + "twin; ✗ marks a wrong one).", right, total, rightNc, total);
        return new Section("Fig. 3: detection", List.of(verdicts),
                List.of(new Section.Table("Fig. 3 in numbers", List.of("task", "anomaly index, infected (smallest "
                                + "trigger)", "anomaly index of the target", "anomaly index, clean twin",
                                "L1 of the infected label", "smallest uninfected L1", "median uninfected L1"),
                                summary),
                        new Section.Table("Every scan", List.of("task", "model", "seed", "scan", "anomaly index",
                                "Neural Cleanse's outliers", "ncguard flagged", "seconds"), scans)),
                List.of(anomaly, norms));
    }

    /** Side by side within a category, so that the series do not hide each other. */
    private static double[] shifted(double[] x, double by) {
        return java.util.Arrays.stream(x).map(v -> v + by).toArray();
    }

    private static int settingsFast(ScanReport r) {
        Object fast = r.config().get("fastSteps");
        return fast instanceof Number n ? n.intValue() : 0;
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static String labels(List<Integer> labels) {
        return labels.isEmpty() ? "none" : labels.toString().replaceAll("[\\[\\]]", "");
    }

    static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }
}
