package org.ncguard.page;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An inline SVG chart of one or more series of (x, y) points joined by lines, with a grid, round ticks, a legend and
 * optional vertical markers: ROC curves, pruning curves. Each series is a {@code <polyline class="series"
 * data-series="NAME">} with a circle per point, so tests and people can read the values back.
 */
public final class LineChart {

    /** Colours for series in the order they are added. */
    public static final List<String> PALETTE = List.of("#4c78a8", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
            "#8c564b");

    static final int WIDTH = 720;
    static final int HEIGHT = 420;
    private static final int LEFT = 70;
    private static final int RIGHT = 24;
    private static final int TOP = 48;
    private static final int BOTTOM = 56;

    private final String title;
    private final String xTitle;
    private final String yTitle;
    private final List<Series> series = new ArrayList<>();
    private final List<Marker> markers = new ArrayList<>();
    private Double xMin;
    private Double xMax;
    private Double yMin;
    private Double yMax;

    /**
     * @param title  the chart's accessible name
     * @param xTitle the x axis's title
     * @param yTitle the y axis's title
     */
    public LineChart(String title, String xTitle, String yTitle) {
        this.title = title;
        this.xTitle = xTitle;
        this.yTitle = yTitle;
    }

    /** Fixes the x range (otherwise from 0 or the data's minimum to the data's maximum). */
    public LineChart xRange(double min, double max) {
        xMin = min;
        xMax = max;
        return this;
    }

    /** Fixes the y range. */
    public LineChart yRange(double min, double max) {
        yMin = min;
        yMax = max;
        return this;
    }

    /** Adds a series; {@code x} and {@code y} have one value per point, in drawing order. */
    public LineChart series(String name, double[] x, double[] y, boolean dashed) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("series " + name + " has " + x.length + " x values and " + y.length
                    + " y values");
        }
        series.add(new Series(name, x.clone(), y.clone(), PALETTE.get(series.size() % PALETTE.size()), dashed));
        return this;
    }

    /** A vertical dashed line at {@code x}, named at its top. */
    public LineChart marker(double x, String label) {
        markers.add(new Marker(x, label));
        return this;
    }

    /** The chart as an {@code <svg>} element. */
    public String svg() {
        double x0 = xMin != null ? xMin : Math.min(0, min(true));
        double x1 = xMax != null ? xMax : max(true);
        double y0 = yMin != null ? yMin : Math.min(0, min(false));
        double y1 = yMax != null ? yMax : max(false);
        if (!(x1 > x0)) {
            x1 = x0 + 1;
        }
        if (!(y1 > y0)) {
            y1 = y0 + 1;
        }
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        Scale sx = new Scale(x0, x1, LEFT, LEFT + plotW);
        Scale sy = new Scale(y0, y1, TOP + plotH, TOP);

        StringBuilder s = new StringBuilder(4096);
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart line-chart\" viewBox=\"0 0 ").append(WIDTH)
                .append(' ').append(HEIGHT).append("\" role=\"img\" aria-label=\"").append(Html.escape(title))
                .append("\">\n");
        grid(s, sy, true, LEFT, LEFT + plotW);
        grid(s, sx, false, TOP, TOP + plotH);
        s.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"")
                .append(Html.coord(plotW)).append("\" height=\"").append(Html.coord(plotH))
                .append("\" fill=\"none\" stroke=\"#555555\"/>\n");
        s.append("<text class=\"axis-title\" x=\"").append(Html.coord(LEFT + plotW / 2)).append("\" y=\"")
                .append(HEIGHT - 14).append("\" text-anchor=\"middle\">").append(Html.escape(xTitle))
                .append("</text>\n");
        s.append("<text class=\"axis-title\" transform=\"translate(18 ").append(Html.coord(TOP + plotH / 2))
                .append(") rotate(-90)\" text-anchor=\"middle\">").append(Html.escape(yTitle)).append("</text>\n");
        for (Marker m : markers) {
            double x = sx.at(m.x());
            s.append("<line class=\"marker\" x1=\"").append(Html.coord(x)).append("\" x2=\"").append(Html.coord(x))
                    .append("\" y1=\"").append(TOP).append("\" y2=\"").append(Html.coord(TOP + plotH))
                    .append("\" stroke=\"#777777\" stroke-dasharray=\"4 4\"/><text class=\"marker-label\" x=\"")
                    .append(Html.coord(x + 4)).append("\" y=\"").append(TOP + 12).append("\">")
                    .append(Html.escape(m.label())).append("</text>\n");
        }
        for (Series line : series) {
            StringBuilder points = new StringBuilder();
            StringBuilder dots = new StringBuilder();
            for (int i = 0; i < line.x().length; i++) {
                String px = Html.coord(sx.at(line.x()[i]));
                String py = Html.coord(sy.at(line.y()[i]));
                points.append(i == 0 ? "" : " ").append(px).append(',').append(py);
                dots.append("<circle cx=\"").append(px).append("\" cy=\"").append(py).append("\" r=\"2.5\" fill=\"")
                        .append(line.colour()).append("\"><title>").append(Html.escape(String.format(Locale.ROOT,
                                "%s: %s = %.4g, %s = %.4g", line.name(), xTitle, line.x()[i], yTitle, line.y()[i])))
                        .append("</title></circle>");
            }
            s.append("<polyline class=\"series\" data-series=\"").append(Html.escape(line.name()))
                    .append("\" points=\"").append(points).append("\" fill=\"none\" stroke=\"").append(line.colour())
                    .append("\" stroke-width=\"2\"").append(line.dashed() ? " stroke-dasharray=\"6 4\"" : "")
                    .append("/>\n").append(dots).append('\n');
        }
        legend(s);
        return s.append("</svg>").toString();
    }

    /** One row per legend entry that no longer fits on the row above, above the plot. */
    private void legend(StringBuilder s) {
        double x = LEFT;
        double y = 4;
        for (Series line : series) {
            double width = 24 + 7.0 * line.name().length() + 22;
            if (x > LEFT && x + width > WIDTH - RIGHT) {
                x = LEFT;
                y += 16;
            }
            s.append("<g class=\"legend\" transform=\"translate(").append(Html.coord(x)).append(' ')
                    .append(Html.coord(y)).append(")\">")
                    .append("<line x1=\"0\" x2=\"18\" y1=\"6\" y2=\"6\" stroke=\"").append(line.colour())
                    .append("\" stroke-width=\"2\"").append(line.dashed() ? " stroke-dasharray=\"6 4\"" : "")
                    .append("/><text x=\"24\" y=\"11\">").append(Html.escape(line.name())).append("</text></g>\n");
            x += width;
        }
    }

    private static void grid(StringBuilder s, Scale scale, boolean horizontal, double from, double to) {
        double step = Ticks.niceStep((scale.max() - scale.min()) / 5);
        int decimals = Ticks.decimals(step);
        for (double v = Math.ceil(scale.min() / step - 1e-9) * step; v <= scale.max() + step * 1e-6; v += step) {
            double p = scale.at(v);
            // + 0.0 turns a -0.0 tick into 0.
            String label = String.format(Locale.ROOT, "%." + decimals + "f", v + 0.0);
            if (horizontal) {
                s.append("<line class=\"grid\" x1=\"").append(Html.coord(from)).append("\" x2=\"")
                        .append(Html.coord(to)).append("\" y1=\"").append(Html.coord(p)).append("\" y2=\"")
                        .append(Html.coord(p)).append("\" stroke=\"#e0e0e0\"/><text class=\"tick\" x=\"")
                        .append(Html.coord(from - 6)).append("\" y=\"").append(Html.coord(p + 4))
                        .append("\" text-anchor=\"end\">").append(label).append("</text>\n");
            } else {
                s.append("<line class=\"grid\" y1=\"").append(Html.coord(from)).append("\" y2=\"")
                        .append(Html.coord(to)).append("\" x1=\"").append(Html.coord(p)).append("\" x2=\"")
                        .append(Html.coord(p)).append("\" stroke=\"#e0e0e0\"/><text class=\"tick\" x=\"")
                        .append(Html.coord(p)).append("\" y=\"").append(Html.coord(to + 16))
                        .append("\" text-anchor=\"middle\">").append(label).append("</text>\n");
            }
        }
    }

    private double min(boolean x) {
        return series.stream().flatMapToDouble(l -> java.util.Arrays.stream(x ? l.x() : l.y())).min().orElse(0);
    }

    private double max(boolean x) {
        return series.stream().flatMapToDouble(l -> java.util.Arrays.stream(x ? l.x() : l.y())).max().orElse(1);
    }

    private record Series(String name, double[] x, double[] y, String colour, boolean dashed) {}

    private record Marker(double x, String label) {}

    /** Maps data values in [min, max] linearly to SVG coordinates in [from, to]. */
    private record Scale(double min, double max, double from, double to) {
        double at(double v) {
            return from + (v - min) / (max - min) * (to - from);
        }
    }
}
