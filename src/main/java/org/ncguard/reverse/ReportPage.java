package org.ncguard.reverse;

import org.ncguard.page.Html;
import org.ncguard.page.Page;
import org.ncguard.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;

import org.ncguard.NcguardException;

/**
 * {@code report.html}: one self-contained page that shows a person what a scan found. Everything is inline (CSS,
 * the SVG chart, the trigger images as base64 data URIs); the page loads nothing and runs no script, so it can be
 * mailed or archived as it is.
 *
 * <p>From top to bottom: the model and its SHA-256; the verdict in large type with the flagged labels and the
 * outliers that are natural features; a note if the scan is incomplete; the chart of L1 norms ({@link L1Chart}); the
 * table of label results; the reversed triggers (mask, pattern, mask times pattern), flagged labels first; the
 * provenance.
 */
public final class ReportPage {

    private ReportPage() {
    }

    /**
     * Writes {@code report.html} into the scan directory, with the triggers found in it, atomically.
     *
     * @throws NcguardException if a trigger file is damaged or the page cannot be written
     */
    public static void write(ScanFiles files, ScanReport report) throws NcguardException {
        String html = render(report, new TriggerStore(files).loadAll());
        try {
            AtomicFiles.write(files.reportHtml(), html.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new NcguardException("Cannot write the HTML report " + files.reportHtml() + ": "
                    + Json.firstLine(e), e);
        }
    }

    /**
     * The page for {@code report}.
     *
     * @param triggers reversed triggers by label; labels without one are listed as such
     */
    public static String render(ScanReport report, Map<Integer, ReversedTrigger> triggers) {
        StringBuilder h = new StringBuilder(64 * 1024);
        String model = Html.escape(report.model());
        h.append("<header>\n<h1>Neural Cleanse scan of <span class=\"model\">").append(model).append("</span></h1>\n")
                .append("<p class=\"sha\">SHA-256 <code>").append(Html.escape(report.modelSha256()))
                .append("</code></p>\n</header>\n");
        if (report.shard() != null) {
            shard(h, report.shard());
        } else {
            verdict(h, report);
        }
        if (!report.complete()) {
            List<Integer> missing = report.missingLabels();
            h.append("<p class=\"note incomplete\" id=\"incomplete\"><strong>Incomplete scan:</strong> ")
                    .append(report.labels().size()).append(" of ").append(report.labelCount())
                    .append(" labels have results (missing: ").append(Html.escape(abbreviate(missing)))
                    .append("). The verdict may change when the scan is resumed.</p>\n");
        }
        for (String note : report.notes()) {
            h.append("<p class=\"note\">").append(Html.escape(note)).append("</p>\n");
        }
        h.append("<section>\n<h2>Mask L1 norm per label</h2>\n<p class=\"hint\">The smallest mask that sends clean"
                + " inputs to each label. A backdoor target needs a much smaller mask than the others.</p>\n")
                .append(L1Chart.svg(report)).append("\n</section>\n");
        table(h, report);
        triggers(h, report, triggers);
        provenance(h, report);
        String title = report.shard() != null ? "shard " + report.shard().name()
                : report.infected() ? "infected" : "clean";
        return Page.document("ncguard scan: " + report.model() + " \u2013 " + title, CSS, h);
    }

    /** A shard has no verdict: its labels' norms are compared with the median of all labels only once merged. */
    private static void shard(StringBuilder h, ScanShard shard) {
        h.append("<section class=\"verdict\" id=\"shard\">\n<div class=\"big\">SHARD ")
                .append(Html.escape(shard.name())).append("</div>\n<p>Part of a scan split over ")
                .append(shard.count()).append(" workers: labels ").append(Html.escape(abbreviate(shard.labels())))
                .append(" of ").append(shard.scanLabels().size()).append(". <strong>No verdict over the model:</strong>"
                        + " the anomaly index compares each label's trigger with the median of all labels. The"
                        + " anomaly indices below are within this shard only. Merge the shards with"
                        + " <code>ncguard scan merge</code> for the verdict.</p>\n</section>\n");
    }

    private static void verdict(StringBuilder h, ScanReport report) {
        boolean infected = report.infected();
        h.append("<section class=\"verdict ").append(infected ? "infected" : "clean").append("\" id=\"verdict\">\n")
                .append("<div class=\"big\">").append(infected ? "INFECTED" : "CLEAN").append("</div>\n");
        if (infected) {
            h.append("<p>Backdoor suspected: the reversed trigger of ")
                    .append(report.flagged().size() == 1 ? "label " : "labels ")
                    .append(report.flagged().stream().map(l -> "<strong>" + Html.escape(labelText(report, l))
                            + "</strong>").collect(Collectors.joining(", ")))
                    .append(report.flagged().size() == 1 ? " is" : " are").append(" anomalously small.</p>\n<ul>\n");
            for (int label : report.flagged()) {
                LabelResult r = report.result(label).orElseThrow();
                h.append("<li>label ").append(Html.escape(labelText(report, label))).append(": mask L1 ")
                        .append(Html.number(r.l1(), 2)).append(" against a median of ")
                        .append(Html.number(report.median(), 2)).append("; ")
                        .append(Html.escape(report.reasons().getOrDefault(label, "flagged")));
                h.append("</li>\n");
            }
            h.append("</ul>\n");
        } else if (report.outliers().isEmpty()) {
            h.append("<p>No label's reversed trigger is anomalously small");
            report.smallestTrigger().ifPresent(r -> h.append(": the smallest, label ")
                    .append(Html.escape(labelText(report, r.label()))).append("'s (L1 ").append(Html.number(r.l1(), 2))
                    .append("), has an anomaly index of ").append(Html.number(r.anomalyIndex(), 2)));
            h.append(".</p>\n");
        } else {
            h.append("<p>No planted trigger found: every anomalously small trigger is a natural feature of its"
                    + " label (below).</p>\n");
        }
        naturalFeatures(h, report);
        long converged = report.labels().stream().filter(LabelResult::converged).count();
        h.append("<p class=\"stats\">").append(report.labels().size()).append(" of ").append(report.labelCount())
                .append(" labels scanned, ").append(converged).append(" converged. Median L1 ")
                .append(Html.number(report.median(), 2)).append(", MAD ").append(Html.number(report.mad(), 2))
                .append("; a label is an outlier when its L1 is below the median and its anomaly index above ")
                .append(Html.escape(trim(report.threshold())))
                .append(" (in the paper, infected models scored above 3 and clean ones below 2): Neural Cleanse's own"
                        + " verdict. ncguard also runs the test on ln L1 (trigger sizes are scale-like; index above ")
                .append(Html.escape(trim(FlagRule.LOG_THRESHOLD)))
                .append("), and flags a label picked by either test unless its trigger is a natural feature of the"
                        + " label and at least ").append(percent(NaturalFeatureCheck.MIN_MEDIAN_FRACTION))
                .append(" of the median L1. A trigger is natural when it also works on a reference model trained on"
                        + " the clean images, which nobody poisoned (it raises the share of other labels' images sent"
                        + " to the label by ").append(percent(TransferCheck.MIN_TRANSFER))
                .append(" or more), or, where no reference model could be trained, when its stamped images lie among"
                        + " the label's own clean images.</p>\n");
        if (report.config().get("fastSteps") instanceof Number steps && steps.intValue() > 0) {
            h.append("<p class=\"stats\" id=\"fast\">Early detection (<code>--fast</code>): every label had a search"
                    + " of at most ").append(steps.intValue()).append(" steps and the verdict comes from those; the"
                    + " outliers' triggers were then refined with the full search.</p>\n");
        }
        h.append("</section>\n");
    }

    /** The outliers that the natural-feature check cleared, and why. */
    private static void naturalFeatures(StringBuilder h, ScanReport report) {
        List<LabelResult> natural = report.outliers().stream().filter(report::naturalFeature)
                .map(l -> report.result(l).orElseThrow()).toList();
        if (natural.isEmpty()) {
            return;
        }
        h.append("<div id=\"natural\"><p>Not flagged, although anomalously small:</p>\n<ul>\n");
        for (LabelResult r : natural) {
            h.append("<li>label ").append(Html.escape(labelText(report, r.label()))).append(": anomaly index ")
                    .append(Html.number(r.anomalyIndex(), 2)).append(", mask L1 ").append(Html.number(r.l1(), 2))
                    .append("; ").append(percent(r.naturalShare()))
                    .append(" of the stamped images lie among the label's own clean images in the model's"
                            + " penultimate layer")
                    .append(r.transfer() == null ? "" : String.format(Locale.ROOT, ", and it sends %.1f%% of other"
                            + " labels' images to the label on a reference model nobody poisoned", 100 * r.transfer()))
                    .append(", so the trigger draws a natural feature of the label</li>\n");
        }
        h.append("</ul>\n<p class=\"hint\">A planted trigger works only on the model that was poisoned, and drives a"
                + " path of its own there: stamped images land away from the label's clean images. A trigger that"
                + " works on a reference model nobody poisoned (or, without one, whose stamped images lie among the"
                + " label's, ").append(percent(NaturalFeatureCheck.NATURAL_SHARE)).append(" or more), with a mask of at"
                + " least ").append(percent(NaturalFeatureCheck.MIN_MEDIAN_FRACTION)).append(" of the median L1, is"
                        + " what the label looks like. Look at these triggers below.</p></div>\n");
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * share);
    }

    private static void table(StringBuilder h, ScanReport report) {
        h.append("<section>\n<h2>Labels</h2>\n<table class=\"labels\">\n<thead><tr><th>Label</th>");
        boolean names = !report.classNames().isEmpty();
        if (names) {
            h.append("<th>Class</th>");
        }
        h.append("<th>Mask L1</th><th>Anomaly index</th><th>Attack success</th><th>Steps</th><th>Seconds</th>"
                + "<th>Converged</th><th>Natural share</th><th>Transfer</th></tr></thead>\n<tbody>\n");
        for (LabelResult r : report.labels()) {
            boolean flagged = report.flagged().contains(r.label());
            h.append("<tr").append(flagged ? " class=\"flagged\"" : r.converged() ? "" : " class=\"not-converged\"")
                    .append("><td>").append(r.label()).append(flagged ? " <span class=\"tag\">flagged</span>"
                            : report.naturalFeature(r.label()) ? " <span class=\"tag natural\">natural</span>" : "")
                    .append("</td>");
            if (names) {
                h.append("<td>").append(Html.escape(report.className(r.label()))).append("</td>");
            }
            h.append("<td>").append(Html.number(r.l1(), 2)).append("</td><td>")
                    .append(Html.number(r.anomalyIndex(), 2)).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.1f%%", 100 * r.attackSuccess())).append("</td><td>")
                    .append(r.steps()).append("</td><td>").append(Html.number(r.seconds(), 1)).append("</td><td>")
                    .append(r.converged() ? "yes" : "<strong>no</strong>").append("</td><td>")
                    .append(r.naturalShare() == null ? "" : percent(r.naturalShare())).append("</td><td>")
                    .append(r.transfer() == null ? "" : String.format(Locale.ROOT, "%.1f%%", 100 * r.transfer()))
                    .append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n</section>\n");
    }

    private static void triggers(StringBuilder h, ScanReport report, Map<Integer, ReversedTrigger> triggers) {
        h.append("<section>\n<h2>Reversed triggers</h2>\n<p class=\"hint\">Mask (white: pixel replaced), pattern,"
                + " and mask \u00b7 pattern (the trigger as stamped on a black image). Flagged labels first.</p>\n");
        List<LabelResult> order = new ArrayList<>(report.labels());
        order.sort(Comparator.comparing((LabelResult r) -> !report.flagged().contains(r.label()))
                .thenComparing(r -> report.flagged().contains(r.label()) ? -r.anomalyIndex() : 0.0)
                .thenComparingInt(LabelResult::label));
        List<Integer> without = new ArrayList<>();
        h.append("<div class=\"triggers\">\n");
        for (LabelResult r : order) {
            ReversedTrigger t = triggers.get(r.label());
            if (t == null) {
                without.add(r.label());
                continue;
            }
            boolean flagged = report.flagged().contains(r.label());
            h.append("<figure class=\"trigger").append(flagged ? " flagged" : "").append("\" id=\"trigger-")
                    .append(r.label()).append("\">\n<div class=\"images\">");
            image(h, TriggerImages.png(TriggerImages.mask(t)), "mask");
            image(h, TriggerImages.png(TriggerImages.pattern(t)), "pattern");
            image(h, TriggerImages.png(TriggerImages.trigger(t)), "mask \u00b7 pattern");
            h.append("</div>\n<figcaption>label ").append(Html.escape(labelText(report, r.label())));
            if (flagged) {
                h.append(" <span class=\"tag\">flagged</span>");
            } else if (report.naturalFeature(r.label())) {
                h.append(" <span class=\"tag natural\">natural feature</span>");
            }
            if (r.converged()) {
                h.append("<br>L1 ").append(Html.number(r.l1(), 2)).append(", anomaly index ")
                        .append(Html.number(r.anomalyIndex(), 2));
            } else {
                h.append("<br>did not converge (best attack success ")
                        .append(String.format(Locale.ROOT, "%.1f%%", 100 * r.attackSuccess())).append(')');
            }
            h.append("</figcaption>\n</figure>\n");
        }
        h.append("</div>\n");
        if (!without.isEmpty()) {
            h.append("<p class=\"hint\">No trigger stored for label").append(without.size() == 1 ? " " : "s ")
                    .append(Html.escape(abbreviate(without))).append(".</p>\n");
        }
        h.append("</section>\n");
    }

    private static void image(StringBuilder h, byte[] png, String caption) {
        h.append("<div class=\"image\"><img alt=\"").append(Html.escape(caption))
                .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png))
                .append("\"><span>").append(Html.escape(caption)).append("</span></div>");
    }

    private static void provenance(StringBuilder h, ScanReport report) {
        h.append("<footer>\n<h2>Provenance</h2>\n<table class=\"kv\">\n");
        row(h, "model", report.model());
        row(h, "model SHA-256", report.modelSha256());
        row(h, "created", report.createdAt());
        row(h, "seed", Long.toString(report.seed()));
        row(h, "scan time", String.format(Locale.ROOT, "%.1f s", report.seconds()));
        row(h, "anomaly threshold", trim(report.threshold()));
        report.versions().forEach((k, v) -> row(h, "version: " + k, v));
        report.config().forEach((k, v) -> row(h, "config: " + k, json(v)));
        h.append("</table>\n</footer>\n");
    }

    private static void row(StringBuilder h, String key, String value) {
        h.append("<tr><th>").append(Html.escape(key)).append("</th><td>").append(Html.escape(value))
                .append("</td></tr>\n");
    }

    private static String json(Object value) {
        if (value instanceof String s) {
            return s;
        }
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    private static String labelText(ScanReport report, int label) {
        return report.classNames().isEmpty() ? Integer.toString(label) : label + " (" + report.className(label) + ")";
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** "1, 2, 3" or, for long lists, the first twenty and a count of the rest. */
    private static String abbreviate(List<Integer> labels) {
        String head = labels.stream().limit(20).map(String::valueOf).collect(Collectors.joining(", "));
        return labels.size() <= 20 ? head : head + " and " + (labels.size() - 20) + " more";
    }

    private static final String CSS = """
            table.labels th, table.labels td { padding: 3px 10px; text-align: right; border-bottom: 1px solid #e0e0e0; }
            table.labels tr.flagged { background: #fdecea; font-weight: 600; }
            table.labels tr.not-converged { color: #777777; }
            .tag { background: #a50f15; color: #ffffff; border-radius: 4px; padding: 0 6px; font-size: 0.8em; }
            .tag.natural { background: #f2a541; color: #222222; }
            .triggers { display: flex; flex-wrap: wrap; gap: 16px; }
            figure.trigger { margin: 0; padding: 8px; border: 1px solid #dddddd; border-radius: 6px; }
            figure.trigger.flagged { border: 2px solid #a50f15; background: #fdecea; }
            .images { display: flex; gap: 6px; }
            .image { display: flex; flex-direction: column; align-items: center; font-size: 0.75em; color: #555555; }
            .image img { image-rendering: pixelated; border: 1px solid #cccccc; }
            figcaption { font-size: 0.85em; margin-top: 4px; }
            """;
}
