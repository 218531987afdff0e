package org.ncguard.mitigate;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.ncguard.page.Html;
import org.ncguard.page.LineChart;
import org.ncguard.page.Page;
import org.ncguard.profile.GuardProfile;
import org.ncguard.profile.LabelProfile;
import org.ncguard.profile.RocCurve;

/**
 * {@code profile.html}: what a guard profile will catch. For every guarded label, the false-negative rate at the
 * paper's false-positive rates and the AUC of both score forms, with the reversed and (when known) the real trigger,
 * and their ROC curves (the paper's Fig. 5a); then the profile's provenance. Self-contained, like the scan's page.
 */
public final class ProfilePage {

    private static final String CSS = """
            table.roc th, table.roc td { padding: 3px 10px; text-align: right; border-bottom: 1px solid #e0e0e0; }
            table.roc tr.chosen { font-weight: 600; background: #eef4fb; }
            .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 16px; }
            figure.roc-chart { margin: 0; }
            """;

    /** The charts show false-positive rates up to this. */
    private static final double MAX_FPR = 0.2;

    private ProfilePage() {
    }

    /** The page for a built profile and the figures of both forms. */
    public static String render(ProfileBuilder.Result result, String modelName) {
        GuardProfile p = result.profile();
        StringBuilder h = new StringBuilder(32 * 1024);
        h.append("<header>\n<h1>Guard profile of <span class=\"model\">").append(Html.escape(modelName))
                .append("</span></h1>\n<p class=\"sha\">SHA-256 <code>").append(Html.escape(p.modelSha256()))
                .append("</code></p>\n</header>\n");
        boolean clean = p.clean();
        h.append("<section class=\"verdict ").append(clean ? "clean" : "infected").append("\">\n<div class=\"big\">")
                .append(clean ? "NOTHING TO GUARD" : "GUARDING " + labelList(p)).append("</div>\n");
        if (clean) {
            h.append("<p>The scan flagged no label, so this profile has no labels: the guard passes this model's "
                    + "traffic and marks it as unguarded by any trigger profile.</p>\n");
        } else {
            h.append("<p>An input is suspicious for a label when its ").append(Html.escape(p.score()))
                    .append(" score is above the label's threshold, set so that ")
                    .append(percent(p.fpr())).append(" of clean calibration inputs are above it.</p>\n");
        }
        h.append("</section>\n");
        if (!clean) {
            table(h, result);
            charts(h, result);
        }
        provenance(h, p);
        return Page.document("ncguard profile: " + modelName + " \u2013 " + (clean ? "no labels" : labelList(p)), CSS,
                h);
    }

    private static void table(StringBuilder h, ProfileBuilder.Result result) {
        GuardProfile p = result.profile();
        h.append("<h2>Misses at each false-positive rate (held-out clean inputs)</h2>\n")
                .append("<table class=\"roc\"><thead><tr><th>label</th><th>score</th><th>neurons</th><th>trigger</th>");
        for (double fpr : RocMath.REPORTED_FPRS) {
            h.append("<th>FNR at ").append(percent(fpr)).append(" FPR</th>");
        }
        h.append("<th>AUC</th><th>threshold FPR, held out</th></tr></thead>\n<tbody>\n");
        for (LabelFigures f : result.figures()) {
            boolean chosen = f.form().id().equals(p.score());
            row(h, f, "reversed", f.reversed(), chosen);
            if (f.real() != null) {
                row(h, f, "real", f.real(), chosen);
            }
        }
        h.append("</tbody></table>\n<p class=\"hint\">The profile carries the highlighted score. FNR: the share of "
                + "attacks (stamped inputs of other labels that the model sends to the label) scored at or below the "
                + "threshold that lets that share of clean inputs through.</p>\n");
    }

    private static void row(StringBuilder h, LabelFigures f, String trigger, RocCurve curve, boolean chosen) {
        h.append("<tr class=\"").append(chosen ? "chosen" : "other").append("\" data-label=\"").append(f.label())
                .append("\" data-score=\"").append(f.form().id()).append("\" data-trigger=\"").append(trigger)
                .append("\"><td>").append(f.label()).append("</td><td>").append(f.form().id()).append("</td><td>")
                .append(f.neurons()).append("</td><td>").append(trigger).append("</td>");
        for (double fpr : RocMath.REPORTED_FPRS) {
            h.append("<td class=\"fnr\">").append(percent(curve.fnrAt(fpr))).append("</td>");
        }
        h.append("<td>").append(String.format(Locale.ROOT, "%.4f", curve.auc())).append("</td><td>")
                .append(percent(f.heldOutFpr())).append("</td></tr>\n");
    }

    private static void charts(StringBuilder h, ProfileBuilder.Result result) {
        Map<Integer, List<LabelFigures>> byLabel = new TreeMap<>();
        for (LabelFigures f : result.figures()) {
            byLabel.computeIfAbsent(f.label(), k -> new java.util.ArrayList<>()).add(f);
        }
        h.append("<h2>ROC curves</h2>\n<div class=\"charts\">\n");
        for (var e : byLabel.entrySet()) {
            double yMax = 0.05;
            for (LabelFigures f : e.getValue()) {
                yMax = Math.max(yMax, maxFnr(f.reversed()));
                yMax = f.real() == null ? yMax : Math.max(yMax, maxFnr(f.real()));
            }
            LineChart chart = new LineChart("ROC of label " + e.getKey(), "false-positive rate",
                    "false-negative rate").xRange(0, MAX_FPR).yRange(0, Math.min(1, yMax * 1.1))
                    .marker(result.profile().fpr(), "profile FPR");
            for (LabelFigures f : e.getValue()) {
                add(chart, f.form().id() + ", reversed trigger", f.reversed(), false);
                if (f.real() != null) {
                    add(chart, f.form().id() + ", real trigger", f.real(), true);
                }
            }
            h.append("<figure class=\"roc-chart\" data-label=\"").append(e.getKey()).append("\">")
                    .append(chart.svg()).append("<figcaption>label ").append(e.getKey())
                    .append("</figcaption></figure>\n");
        }
        h.append("</div>\n");
    }

    /** The operating points up to {@link #MAX_FPR}: the range the paper plots and where a guard runs. */
    private static void add(LineChart chart, String name, RocCurve curve, boolean dashed) {
        List<RocCurve.Point> shown = curve.points().stream().filter(p -> p.fpr() <= MAX_FPR).toList();
        chart.series(name, shown.stream().mapToDouble(RocCurve.Point::fpr).toArray(),
                shown.stream().mapToDouble(RocCurve.Point::fnr).toArray(), dashed);
    }

    private static double maxFnr(RocCurve curve) {
        return curve.points().stream().filter(p -> p.fpr() <= MAX_FPR).mapToDouble(RocCurve.Point::fnr).max()
                .orElse(0);
    }

    private static void provenance(StringBuilder h, GuardProfile p) {
        h.append("<footer>\n<h2>Provenance</h2>\n<table class=\"kv\">\n");
        kv(h, "profile id", p.profileId());
        kv(h, "created", p.createdAt());
        kv(h, "score", p.score());
        kv(h, "false-positive rate", percent(p.fpr()));
        kv(h, "penultimate", p.penultimate().name() + " (" + p.penultimate().size() + " features)");
        kv(h, "input", p.input().toString());
        if (p.scan() != null) {
            kv(h, "scan", p.scan().path() + " (" + p.scan().verdict() + ", scan.json sha256 " + p.scan().sha256() + ")");
        }
        p.versions().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> kv(h, e.getKey(), e.getValue()));
        h.append("</table>\n</footer>\n");
    }

    private static void kv(StringBuilder h, String key, String value) {
        h.append("<tr><th>").append(Html.escape(key)).append("</th><td>").append(Html.escape(value))
                .append("</td></tr>\n");
    }

    private static String labelList(GuardProfile p) {
        return "LABEL" + (p.labels().size() == 1 ? " " : "S ")
                + String.join(", ", p.labels().stream().map(LabelProfile::label).map(String::valueOf).toList());
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }
}
