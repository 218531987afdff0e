package org.ncguard.mitigate.patch;

import java.util.List;
import java.util.Locale;
import org.ncguard.page.Html;
import org.ncguard.page.LineChart;
import org.ncguard.page.Page;

/**
 * The pruning curve as a page (the paper's Fig. 5b/c): clean accuracy and attack success against the share of the
 * layer pruned, with the kept step marked.
 */
public final class PruningPage {

    private PruningPage() {
    }

    /** The whole page. */
    public static String html(PruningCurve curve, int kept, PatchCard card) {
        List<PruningCurve.Point> points = curve.points();
        double[] x = new double[points.size()];
        double[] accuracy = new double[points.size()];
        double[] reversed = new double[points.size()];
        double[] real = new double[points.size()];
        double[] unstamped = new double[points.size()];
        boolean hasReal = points.get(0).measured().realAttackSuccess() != null;
        for (int i = 0; i < points.size(); i++) {
            PruningCurve.Point p = points.get(i);
            x[i] = 100 * p.fraction();
            accuracy[i] = 100 * p.measured().accuracy();
            reversed[i] = 100 * p.measured().attackSuccess();
            real[i] = hasReal ? 100 * p.measured().realAttackSuccess() : 0;
            unstamped[i] = hasReal ? 100 * p.measured().realUnstamped() : 0;
        }
        String layer = switch (curve.layer()) {
            case SPATIAL -> "spatial units (last conv channel x position)";
            case PENULTIMATE -> "penultimate neurons";
            case CONV -> "last conv channels";
        };
        LineChart chart = new LineChart("Pruning curve", "share of " + layer + " pruned (%)", "%")
                .yRange(0, 100)
                // room on the right for the "kept" label when the kept step is the last one
                .xRange(0, Math.max(1, x[x.length - 1]) * 1.08)
                .series("clean accuracy", x, accuracy, false)
                .series("attack success (reversed trigger)", x, reversed, false);
        if (hasReal) {
            chart.series("attack success (real trigger)", x, real, true);
            // attack success counts these too: the floor pruning can reach without making fewer mistakes of its own
            chart.series("unstamped images in the target", x, unstamped, true);
        }
        chart.marker(x[kept], "kept");
        PruningCurve.Point k = points.get(kept);
        StringBuilder body = new StringBuilder();
        body.append("<h1>Pruning ").append(Html.escape(card.original())).append("</h1>\n")
                .append("<p class=\"sha\">original sha256 <code>").append(card.originalSha256())
                .append("</code><br>patched ").append(Html.escape(card.model())).append(" sha256 <code>")
                .append(card.sha256()).append("</code></p>\n")
                .append("<p>").append(String.format(Locale.ROOT, "Kept: %d of %d %s pruned (%.1f%%): clean accuracy "
                        + "%.2f%% (was %.2f%%), attack success %.2f%% (was %.2f%%)", k.pruned(), curve.units(), layer,
                        100 * k.fraction(), 100 * k.measured().accuracy(), 100 * points.get(0).measured().accuracy(),
                        100 * k.measured().attackSuccess(), 100 * points.get(0).measured().attackSuccess()))
                .append(hasReal ? String.format(Locale.ROOT, ", real trigger %.2f%% (was %.2f%%)",
                        100 * k.measured().realAttackSuccess(), 100 * points.get(0).measured().realAttackSuccess())
                        : "")
                .append(".</p>\n<p class=\"hint\">").append(Html.escape(card.why())).append("</p>\n")
                .append(chart.svg()).append('\n')
                .append("<p class=\"hint\">Units are zeroed in order of their activation gap (reversed trigger "
                        + "minus clean) on the flagged labels ").append(Html.escape(card.flaggedLabels().toString()))
                .append("; every step is measured with ONNX Runtime on held-out images.</p>\n");
        return Page.document("Pruning " + card.original(), "", body);
    }
}
