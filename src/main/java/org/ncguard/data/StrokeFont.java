package org.ncguard.data;

import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.util.Map;

/**
 * A tiny polyline font for the digits and the letters of STOP, so that drawn signs do not depend on which
 * system fonts happen to be installed. Each character is a few strokes in a unit cell (x right, y down).
 */
final class StrokeFont {

    /** Character width as a fraction of its height, and the gap between characters. */
    static final double ASPECT = 0.55;
    static final double GAP = 0.22;

    private static final Map<Character, double[][]> GLYPHS = Map.ofEntries(
            Map.entry('0', strokes(
                    new double[] {0.25, 0, 0.75, 0, 1, 0.2, 1, 0.8, 0.75, 1, 0.25, 1, 0, 0.8, 0, 0.2, 0.25, 0})),
            Map.entry('1', strokes(new double[] {0.15, 0.25, 0.65, 0, 0.65, 1})),
            Map.entry('2', strokes(new double[] {0, 0.2, 0.25, 0, 0.75, 0, 1, 0.2, 1, 0.4, 0, 1, 1, 1})),
            Map.entry('3', strokes(
                    new double[] {0, 0.1, 0.2, 0, 0.8, 0, 1, 0.2, 1, 0.35, 0.75, 0.5, 0.3, 0.5},
                    new double[] {0.75, 0.5, 1, 0.65, 1, 0.8, 0.8, 1, 0.2, 1, 0, 0.9})),
            Map.entry('4', strokes(new double[] {0.75, 1, 0.75, 0, 0, 0.65, 1, 0.65})),
            Map.entry('5', strokes(
                    new double[] {1, 0, 0.05, 0, 0, 0.45, 0.75, 0.42, 1, 0.62, 1, 0.8, 0.8, 1, 0.2, 1, 0, 0.88})),
            Map.entry('6', strokes(
                    new double[] {0.9, 0, 0.35, 0, 0, 0.35, 0, 0.8, 0.2, 1, 0.8, 1, 1, 0.8, 1, 0.62, 0.8, 0.45,
                        0.2, 0.45, 0, 0.6})),
            Map.entry('7', strokes(new double[] {0, 0, 1, 0, 0.35, 1})),
            Map.entry('8', strokes(
                    new double[] {0.2, 0, 0.8, 0, 0.95, 0.15, 0.95, 0.32, 0.8, 0.47, 0.2, 0.47, 0.05, 0.32,
                        0.05, 0.15, 0.2, 0},
                    new double[] {0.2, 0.47, 0.8, 0.47, 1, 0.65, 1, 0.82, 0.8, 1, 0.2, 1, 0, 0.82, 0, 0.65,
                        0.2, 0.47})),
            Map.entry('9', strokes(
                    new double[] {0.1, 1, 0.65, 1, 1, 0.65, 1, 0.2, 0.8, 0, 0.2, 0, 0, 0.2, 0, 0.4, 0.2, 0.55,
                        0.8, 0.55, 1, 0.4})),
            Map.entry('S', strokes(
                    new double[] {1, 0.15, 0.8, 0, 0.2, 0, 0, 0.15, 0, 0.35, 0.2, 0.48, 0.8, 0.52, 1, 0.65,
                        1, 0.85, 0.8, 1, 0.2, 1, 0, 0.85})),
            Map.entry('T', strokes(new double[] {0, 0, 1, 0}, new double[] {0.5, 0, 0.5, 1})),
            Map.entry('O', strokes(
                    new double[] {0.25, 0, 0.75, 0, 1, 0.25, 1, 0.75, 0.75, 1, 0.25, 1, 0, 0.75, 0, 0.25, 0.25, 0})),
            Map.entry('P', strokes(new double[] {0, 1, 0, 0, 0.8, 0, 1, 0.15, 1, 0.4, 0.8, 0.55, 0, 0.55})));

    private StrokeFont() {
    }

    /** Polylines as x, y pairs. */
    private static double[][] strokes(double[]... polylines) {
        return polylines;
    }

    /** Width of {@code text} drawn at height 1. */
    static double width(String text) {
        return text.length() * ASPECT + (text.length() - 1) * GAP;
    }

    /** Strokes {@code text} centred on (cx, cy) with the given character height, using g's current stroke. */
    static void draw(Graphics2D g, String text, double cx, double cy, double height) {
        double x0 = cx - width(text) * height / 2;
        double y0 = cy - height / 2;
        for (int i = 0; i < text.length(); i++) {
            double[][] strokes = GLYPHS.get(text.charAt(i));
            if (strokes == null) {
                throw new IllegalArgumentException("no stroke glyph for '" + text.charAt(i) + "'");
            }
            double left = x0 + i * (ASPECT + GAP) * height;
            for (double[] s : strokes) {
                Path2D.Double p = new Path2D.Double();
                p.moveTo(left + s[0] * ASPECT * height, y0 + s[1] * height);
                for (int k = 2; k < s.length; k += 2) {
                    p.lineTo(left + s[k] * ASPECT * height, y0 + s[k + 1] * height);
                }
                g.draw(p);
            }
        }
    }
}
