package org.ncguard.reverse;

import java.util.Locale;
import org.ncguard.page.Html;
import org.ncguard.page.Ticks;

/**
 * The bar chart of the report page, as inline SVG: one bar per label with its mask L1 norm, a line at the median,
 * a dashed line at the L1 below which a label is flagged, flagged bars in red, labels that did not converge as
 * hatched grey columns. With many labels the bars get narrower and only every k-th label is named on the axis.
 */
final class L1Chart {

    /** Fill of ordinary bars. */
    static final String NORMAL = "#4c78a8";
    /** Fill of flagged bars; used nowhere else on the page except the chart's legend. */
    static final String FLAGGED = "#d62728";

    /** Fill of outliers whose trigger is a natural feature of the label, so not flagged. */
    static final String NATURAL = "#f2a541";
    /** Stroke of the median line. */
    static final String MEDIAN = "#222222";
    /** Stroke of the flag-below line. */
    static final String THRESHOLD = "#ff7f0e";

    static final int WIDTH = 1000;
    static final int HEIGHT = 380;
    private static final int LEFT = 70;
    private static final int RIGHT = 150;
    private static final int TOP = 40;
    private static final int BOTTOM = 56;
    /** Flagged bars are at least this wide, so that one red bar among a thousand still shows. */
    private static final double MIN_FLAGGED_WIDTH = 4;

    private L1Chart() {
    }

    static String svg(ScanReport report) {
        int n = report.labelCount();
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        double slot = plotW / n;
        double barW = slot >= 4 ? slot * 0.72 : slot;
        double dataMax = report.labels().stream().filter(LabelResult::converged).mapToDouble(LabelResult::l1)
                .max().orElse(0);
        double step = Ticks.niceStep(Math.max(dataMax, 1e-9) * 1.08 / 5);
        double yMax = dataMax > 0 ? Math.ceil(dataMax * 1.08 / step) * step : 1;
        if (dataMax <= 0) {
            step = 0.2;
        }
        double baseY = TOP + plotH;

        StringBuilder s = new StringBuilder(4096 + 400 * n);
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(HEIGHT).append("\" role=\"img\" aria-label=\"Mask L1 norm per label\">\n");
        s.append("<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\""
                + " patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#eeeeee\"/>"
                + "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#9e9e9e\" stroke-width=\"3\"/></pattern></defs>\n");
        legend(s);

        // Grid and y axis.
        int decimals = Ticks.decimals(step);
        for (int i = 0; i * step <= yMax + step * 1e-6; i++) {
            double v = i * step;
            double y = baseY - v / yMax * plotH;
            s.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(Html.coord(LEFT + plotW))
                    .append("\" y1=\"").append(Html.coord(y)).append("\" y2=\"").append(Html.coord(y))
                    .append("\" stroke=\"#e0e0e0\"/>");
            s.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(Html.coord(y + 4))
                    .append("\" text-anchor=\"end\" class=\"tick\">")
                    .append(String.format(Locale.ROOT, "%." + decimals + "f", v)).append("</text>\n");
        }
        s.append("<text class=\"axis-title\" transform=\"translate(18 ").append(Html.coord(TOP + plotH / 2))
                .append(") rotate(-90)\" text-anchor=\"middle\">mask L1 norm</text>\n");

        // Bars. Flagged ones and their markers go into `top`, drawn last, so that neighbours never cover them.
        StringBuilder top = new StringBuilder();
        for (LabelResult r : report.labels()) {
            double x = LEFT + r.label() * slot + (slot - barW) / 2;
            String name = labelName(report, r.label());
            if (r.converged()) {
                boolean flagged = report.flagged().contains(r.label());
                boolean natural = !flagged && report.outliers().contains(r.label());
                double h = Math.max(1, r.l1() / yMax * plotH);
                if (flagged && barW < MIN_FLAGGED_WIDTH) {
                    x -= (MIN_FLAGGED_WIDTH - barW) / 2;
                }
                StringBuilder b = flagged ? top : s;
                b.append("<rect class=\"bar").append(flagged ? " flagged" : natural ? " natural" : "")
                        .append("\" data-label=\"")
                        .append(r.label()).append("\" x=\"").append(Html.coord(x)).append("\" y=\"")
                        .append(Html.coord(baseY - h)).append("\" width=\"")
                        .append(Html.coord(flagged ? Math.max(barW, MIN_FLAGGED_WIDTH) : barW))
                        .append("\" height=\"").append(Html.coord(h)).append("\" fill=\"")
                        .append(flagged ? FLAGGED : natural ? NATURAL : NORMAL)
                        .append("\" shape-rendering=\"crispEdges\"><title>")
                        .append(Html.escape(String.format(Locale.ROOT, "label %s: L1 %.2f, anomaly index %s%s",
                                name, r.l1(), Html.number(r.anomalyIndex(), 2),
                                flagged ? " (flagged)" : natural ? " (outlier, natural feature)" : "")))
                        .append("</title></rect>\n");
                if (flagged) {
                    marker(top, LEFT + (r.label() + 0.5) * slot, baseY - h, r.label());
                }
            } else {
                s.append("<rect class=\"bar not-converged\" data-label=\"").append(r.label()).append("\" x=\"")
                        .append(Html.coord(x)).append("\" y=\"").append(TOP).append("\" width=\"")
                        .append(Html.coord(barW)).append("\" height=\"").append(Html.coord(plotH))
                        .append("\" fill=\"url(#hatch)\"><title>")
                        .append(Html.escape("label " + name + ": did not converge (best attack success "
                                + String.format(Locale.ROOT, "%.1f%%", 100 * r.attackSuccess()) + ")"))
                        .append("</title></rect>\n");
            }
        }

        // X axis and its labels, every k-th one when they would crowd.
        s.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(Html.coord(LEFT + plotW)).append("\" y1=\"")
                .append(Html.coord(baseY)).append("\" y2=\"").append(Html.coord(baseY))
                .append("\" stroke=\"#555555\"/>\n");
        int every = Ticks.tickEvery(slot, n);
        for (int label = 0; label < n; label += every) {
            double cx = LEFT + (label + 0.5) * slot;
            s.append("<text class=\"xtick\" x=\"").append(Html.coord(cx)).append("\" y=\"")
                    .append(Html.coord(baseY + 16)).append("\" text-anchor=\"middle\">").append(label)
                    .append("</text>");
        }
        s.append('\n');
        s.append("<text class=\"axis-title\" x=\"").append(Html.coord(LEFT + plotW / 2)).append("\" y=\"")
                .append(HEIGHT - 14).append("\" text-anchor=\"middle\">label")
                .append(every > 1 ? " (numbered every " + every + ")" : "").append("</text>\n");

        // Median and flag-below lines, with their values at the right end.
        Double median = report.median();
        Double flagBelow = report.flagBelowL1();
        double medianY = median == null ? Double.NaN : baseY - median / yMax * plotH;
        double flagY = flagBelow == null ? Double.NaN : baseY - flagBelow / yMax * plotH;
        if (median != null) {
            line(s, "median", medianY, MEDIAN, null, plotW);
            double textY = medianY + 4;
            if (flagBelow != null && Math.abs(flagY - medianY) < 14) {
                textY = medianY - 4;
            }
            s.append("<text class=\"line-label\" x=\"").append(Html.coord(LEFT + plotW + 6)).append("\" y=\"")
                    .append(Html.coord(textY)).append("\">median ").append(Html.number(median, 2))
                    .append("</text>\n");
        }
        if (flagBelow != null) {
            line(s, "threshold", flagY, THRESHOLD, "6 4", plotW);
            double textY = flagY + 4;
            if (Math.abs(flagY - medianY) < 14) {
                textY = flagY + 12;
            }
            s.append("<text class=\"line-label\" x=\"").append(Html.coord(LEFT + plotW + 6)).append("\" y=\"")
                    .append(Html.coord(textY)).append("\" fill=\"#b35900\">outlier below ")
                    .append(Html.number(flagBelow, 2)).append("</text>\n");
        }
        s.append(top).append("</svg>");
        return s.toString();
    }

    /** A downward triangle and the label number above a flagged bar whose top is at {@code topY}. */
    private static void marker(StringBuilder s, double cx, double topY, int label) {
        double tip = topY - 3;
        s.append("<path class=\"marker\" d=\"M").append(Html.coord(cx)).append(' ').append(Html.coord(tip))
                .append(" l-6 -9 h12 z\" fill=\"").append(FLAGGED).append("\"/>")
                .append("<text class=\"marker-label\" x=\"").append(Html.coord(cx)).append("\" y=\"")
                .append(Html.coord(tip - 13)).append("\" text-anchor=\"middle\" font-weight=\"bold\""
                        + " fill=\"#a50f15\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">").append(label).append("</text>\n");
    }

    private static void line(StringBuilder s, String cls, double y, String colour, String dash, double plotW) {
        s.append("<line class=\"").append(cls).append("\" x1=\"").append(LEFT).append("\" x2=\"")
                .append(Html.coord(LEFT + plotW)).append("\" y1=\"").append(Html.coord(y)).append("\" y2=\"")
                .append(Html.coord(y)).append("\" stroke=\"").append(colour).append("\" stroke-width=\"2\"");
        if (dash != null) {
            s.append(" stroke-dasharray=\"").append(dash).append('"');
        }
        s.append("/>\n");
    }

    private static void legend(StringBuilder s) {
        double x = LEFT;
        double y = 14;
        x = swatch(s, x, y, "<rect width=\"12\" height=\"12\" fill=\"" + NORMAL + "\"/>", "label");
        x = swatch(s, x, y, "<rect width=\"12\" height=\"12\" fill=\"" + FLAGGED + "\"/>", "flagged");
        x = swatch(s, x, y, "<rect width=\"12\" height=\"12\" fill=\"" + NATURAL + "\"/>", "natural feature");
        x = swatch(s, x, y, "<rect width=\"12\" height=\"12\" fill=\"url(#hatch)\" stroke=\"#9e9e9e\"/>",
                "did not converge");
        x = swatch(s, x, y, "<line x1=\"0\" x2=\"18\" y1=\"6\" y2=\"6\" stroke=\"" + MEDIAN
                + "\" stroke-width=\"2\"/>", "median");
        swatch(s, x, y, "<line x1=\"0\" x2=\"18\" y1=\"6\" y2=\"6\" stroke=\"" + THRESHOLD
                + "\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>", "outlier below (index > threshold)");
    }

    private static double swatch(StringBuilder s, double x, double y, String shape, String text) {
        s.append("<g class=\"legend\" transform=\"translate(").append(Html.coord(x)).append(' ')
                .append(Html.coord(y)).append(")\">").append(shape).append("<text x=\"24\" y=\"11\">")
                .append(Html.escape(text)).append("</text></g>\n");
        return x + 24 + 7.0 * text.length() + 22;
    }

    private static String labelName(ScanReport report, int label) {
        return report.classNames().isEmpty() ? Integer.toString(label) : label + " (" + report.className(label) + ")";
    }
}
