package org.ncguard.experiment;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ncguard.page.LineChart;
import org.ncguard.page.Ticks;
import org.ncguard.reverse.TriggerImages;

/**
 * A plot drawn with java.awt (headless, no browser) for the PNG files beside the results page: series of points joined
 * by lines (or not), with optional error bars, a numeric, logarithmic or named x axis, a grid, round ticks and a
 * legend. The palette starts with the SVG charts' ({@link LineChart#PALETTE}).
 */
final class PngPlot {

    private static final int WIDTH = 760;
    private static final int HEIGHT = 440;
    private static final int LEFT = 74;
    private static final int RIGHT = 24;
    private static final int TOP = 44;
    private static final int BOTTOM = 62;

    /** The SVG charts' colours, then four more: a figure here may have up to ten series. */
    private static final List<String> PALETTE = java.util.stream.Stream.concat(LineChart.PALETTE.stream(),
            java.util.stream.Stream.of("#17becf", "#bcbd22", "#e377c2", "#7f7f7f")).toList();

    private record Series(String name, double[] x, double[] y, double[] error, boolean lines) {}

    private final String title;
    private final String xTitle;
    private final String yTitle;
    private final List<Series> series = new ArrayList<>();
    private List<String> categories;
    private boolean logX;
    private Double yMin;
    private Double yMax;
    private Double hLine;

    PngPlot(String title, String xTitle, String yTitle) {
        this.title = title;
        this.xTitle = xTitle;
        this.yTitle = yTitle;
    }

    /** Named x positions 0, 1, 2, ...: a point's x is its category's index. */
    PngPlot categories(List<String> names) {
        categories = List.copyOf(names);
        return this;
    }

    PngPlot logX() {
        logX = true;
        return this;
    }

    PngPlot yRange(double min, double max) {
        yMin = min;
        yMax = max;
        return this;
    }

    /** A dashed horizontal reference line (a threshold). */
    PngPlot reference(double y) {
        hLine = y;
        return this;
    }

    /** A series; {@code error} (half-widths) may be null; {@code lines} joins the points. */
    PngPlot series(String name, double[] x, double[] y, double[] error, boolean lines) {
        if (x.length != y.length || (error != null && error.length != y.length)) {
            throw new IllegalArgumentException("series " + name + ": x, y and error need one value per point");
        }
        series.add(new Series(name, x.clone(), y.clone(), error == null ? null : error.clone(), lines));
        return this;
    }

    /** The plot as PNG bytes. */
    byte[] png() {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            draw(g);
        } finally {
            g.dispose();
        }
        return TriggerImages.png(image);
    }

    private void draw(Graphics2D g) {
        double[] xr = xRange();
        double[] yr = yRange();
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        g.setFont(font);
        FontMetrics fm = g.getFontMetrics();
        g.setColor(Color.BLACK);
        g.setFont(font.deriveFont(Font.BOLD, 14f));
        g.drawString(title, LEFT, 24);
        g.setFont(font);

        // y grid and ticks
        double yStep = Ticks.niceStep((yr[1] - yr[0]) / 6);
        int yDecimals = Ticks.decimals(yStep);
        for (double v = Math.ceil(yr[0] / yStep) * yStep; v <= yr[1] + 1e-9 * yStep; v += yStep) {
            double py = TOP + plotH - (v - yr[0]) / (yr[1] - yr[0]) * plotH;
            g.setColor(new Color(0xE0E0E0));
            g.draw(new Line2D.Double(LEFT, py, LEFT + plotW, py));
            g.setColor(Color.DARK_GRAY);
            String label = String.format(Locale.ROOT, "%." + yDecimals + "f", v);
            g.drawString(label, LEFT - 6 - fm.stringWidth(label), (float) py + 4);
        }
        // x ticks
        for (double[] tick : xTicks(xr)) {
            double px = LEFT + (tick[0] - xr[0]) / (xr[1] - xr[0]) * plotW;
            String label = categories != null ? categories.get((int) tick[0]) : number(tick[1]);
            g.setColor(new Color(0xE0E0E0));
            g.draw(new Line2D.Double(px, TOP, px, TOP + plotH));
            g.setColor(Color.DARK_GRAY);
            g.drawString(label, (float) px - fm.stringWidth(label) / 2f, TOP + plotH + 16);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotW, plotH);
        g.drawString(xTitle, LEFT + plotW / 2f - fm.stringWidth(xTitle) / 2f, HEIGHT - 14);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        g.drawString(yTitle, -(TOP + plotH / 2f + fm.stringWidth(yTitle) / 2f), 18);
        g.setTransform(saved);
        if (hLine != null && hLine >= yr[0] && hLine <= yr[1]) {
            double py = TOP + plotH - (hLine - yr[0]) / (yr[1] - yr[0]) * plotH;
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
            g.draw(new Line2D.Double(LEFT, py, LEFT + plotW, py));
        }

        for (int s = 0; s < series.size(); s++) {
            Series se = series.get(s);
            Color c = Color.decode(PALETTE.get(s % PALETTE.size()));
            g.setColor(c);
            g.setStroke(new BasicStroke(2f));
            Path2D line = new Path2D.Double();
            for (int i = 0; i < se.x().length; i++) {
                double px = LEFT + (xValue(se.x()[i]) - xr[0]) / (xr[1] - xr[0]) * plotW;
                double py = TOP + plotH - (se.y()[i] - yr[0]) / (yr[1] - yr[0]) * plotH;
                if (i == 0) {
                    line.moveTo(px, py);
                } else {
                    line.lineTo(px, py);
                }
                g.fill(new java.awt.geom.Ellipse2D.Double(px - 4, py - 4, 8, 8));
                if (se.error() != null && se.error()[i] > 0) {
                    double e = se.error()[i] / (yr[1] - yr[0]) * plotH;
                    g.draw(new Line2D.Double(px, py - e, px, py + e));
                    g.draw(new Line2D.Double(px - 4, py - e, px + 4, py - e));
                    g.draw(new Line2D.Double(px - 4, py + e, px + 4, py + e));
                }
            }
            if (se.lines() && se.x().length > 1) {
                g.draw(line);
            }
        }
        legend(g, fm, plotW);
    }

    /** Top right, on white so that it stays readable over the data, one line per series. */
    private void legend(Graphics2D g, FontMetrics fm, int plotW) {
        int width = series.stream().mapToInt(s -> fm.stringWidth(s.name())).max().orElse(0) + 36;
        int x = LEFT + plotW - width - 6;
        g.setColor(new Color(255, 255, 255, 225));
        g.fillRect(x, TOP + 4, width, 18 * series.size() + 6);
        for (int s = 0; s < series.size(); s++) {
            int y = TOP + 20 + 18 * s;
            g.setColor(Color.decode(PALETTE.get(s % PALETTE.size())));
            g.fillRect(x + 6, y - 8, 16, 8);
            g.setColor(Color.BLACK);
            g.drawString(series.get(s).name(), x + 28, y);
        }
    }

    private double xValue(double x) {
        return logX ? Math.log10(x) : x;
    }

    private double[] xRange() {
        if (categories != null) {
            return new double[] {-0.5, categories.size() - 0.5};
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double x : s.x()) {
                min = Math.min(min, xValue(x));
                max = Math.max(max, xValue(x));
            }
        }
        if (!(max > min)) {
            return new double[] {min - 1, max + 1};
        }
        double pad = (max - min) * 0.04;
        return new double[] {logX ? min - pad : Math.min(0, min), max + pad};
    }

    private double[] yRange() {
        if (yMin != null) {
            return new double[] {yMin, yMax};
        }
        double min = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.y().length; i++) {
                double e = s.error() == null ? 0 : s.error()[i];
                min = Math.min(min, s.y()[i] - e);
                max = Math.max(max, s.y()[i] + e);
            }
        }
        if (hLine != null) {
            max = Math.max(max, hLine);
        }
        return max > min ? new double[] {min, max * 1.08} : new double[] {min, min + 1};
    }

    /** Tick positions (in drawn x) and the values they name. */
    private List<double[]> xTicks(double[] xr) {
        List<double[]> ticks = new ArrayList<>();
        if (categories != null) {
            for (int i = 0; i < categories.size(); i++) {
                ticks.add(new double[] {i, i});
            }
        } else if (logX) {
            for (double d = Math.ceil(xr[0]); d <= xr[1]; d++) {
                for (double m : new double[] {1, 2, 5}) {
                    double v = m * Math.pow(10, d);
                    if (Math.log10(v) >= xr[0] && Math.log10(v) <= xr[1]) {
                        ticks.add(new double[] {Math.log10(v), v});
                    }
                }
            }
        } else {
            double step = Ticks.niceStep((xr[1] - xr[0]) / 8);
            for (double v = Math.ceil(xr[0] / step) * step; v <= xr[1]; v += step) {
                ticks.add(new double[] {v, v});
            }
        }
        return ticks;
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
