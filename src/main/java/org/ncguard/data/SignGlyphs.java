package org.ncguard.data;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.geom.Arc2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.util.function.Function;

/**
 * The pictograms inside drawn traffic signs. Each draws into a box from -1 to 1 (y down); the renderer
 * places and scales that box inside the sign and clips to the sign's face.
 */
final class SignGlyphs {

    /** Something drawn on a sign face; {@code ink} gives the (per-image jittered) colour of a palette entry. */
    @FunctionalInterface
    interface Glyph {
        void draw(Graphics2D g, Function<SignCatalog.Paint, Color> ink);

        default Glyph and(Glyph other) {
            return (g, ink) -> {
                draw(g, ink);
                other.draw(g, ink);
            };
        }
    }

    static final Glyph NONE = (g, ink) -> { };

    private static final float LINE = 0.17f;

    private SignGlyphs() {
    }

    static Glyph text(String s, SignCatalog.Paint paint) {
        return (g, ink) -> {
            double h = Math.min(1.25, 1.9 / StrokeFont.width(s));
            g.setColor(ink.apply(paint));
            g.setStroke(round((float) Math.max(0.13, 0.24 * h)));
            StrokeFont.draw(g, s, 0, 0, h);
        };
    }

    static Glyph bar(SignCatalog.Paint paint) {
        return (g, ink) -> {
            g.setColor(ink.apply(paint));
            g.fill(new Rectangle2D.Double(-0.85, -0.22, 1.7, 0.44));
        };
    }

    /** Diagonal strokes from lower left to upper right, as on "end of ..." signs. */
    static Glyph diagonals(int lines, double width, SignCatalog.Paint paint) {
        return (g, ink) -> {
            g.setColor(ink.apply(paint));
            g.setStroke(new BasicStroke((float) width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
            double spacing = width * 1.9;
            for (int k = 0; k < lines; k++) {
                double o = (k - (lines - 1) / 2.0) * spacing;
                g.draw(new Line2D.Double(-1.2 + o, 1.2 + o, 1.2 + o, -1.2 + o));
            }
        };
    }

    static Glyph cross(SignCatalog.Paint paint) {
        return (g, ink) -> {
            g.setColor(ink.apply(paint));
            g.fill(new Rectangle2D.Double(-0.17, -0.95, 0.34, 1.9));
            g.fill(new Rectangle2D.Double(-0.6, -0.45, 1.2, 0.22));
        };
    }

    static Glyph exclamation(SignCatalog.Paint paint) {
        return (g, ink) -> {
            g.setColor(ink.apply(paint));
            Path2D.Double p = new Path2D.Double();
            p.moveTo(-0.2, -0.95);
            p.lineTo(0.2, -0.95);
            p.lineTo(0.1, 0.35);
            p.lineTo(-0.1, 0.35);
            p.closePath();
            g.fill(p);
            g.fill(new Ellipse2D.Double(-0.17, 0.55, 0.34, 0.34));
        };
    }

    /** A road bending one way: {@code dir} is -1 for left, +1 for right. */
    static Glyph curve(int dir, SignCatalog.Paint paint) {
        return mirrored(dir, (g, ink) -> {
            g.setColor(ink.apply(paint));
            g.setStroke(round(0.26f));
            Path2D.Double p = new Path2D.Double();
            p.moveTo(-0.35, 0.95);
            p.lineTo(-0.35, 0.05);
            p.quadTo(-0.35, -0.45, 0.3, -0.55);
            g.draw(p);
            head(g, 0.3, -0.55, 0, 0.42);
        });
    }

    static Glyph doubleCurve(SignCatalog.Paint paint) {
        return (g, ink) -> {
            g.setColor(ink.apply(paint));
            g.setStroke(round(0.24f));
            Path2D.Double p = new Path2D.Double();
            p.moveTo(0.2, 0.95);
            p.curveTo(-0.9, 0.45, 0.85, -0.2, -0.1, -0.6);
            g.draw(p);
            head(g, -0.1, -0.6, -2.4, 0.4);
        };
    }

    static Glyph bumps(SignCatalog.Paint paint) {
        return (g, ink) -> {
            g.setColor(ink.apply(paint));
            Path2D.Double p = new Path2D.Double();
            p.moveTo(-0.95, 0.5);
            p.quadTo(-0.48, -0.55, 0, 0.5);
            p.quadTo(0.48, -0.55, 0.95, 0.5);
            p.lineTo(0.95, 0.7);
            p.lineTo(-0.95, 0.7);
            p.closePath();
            g.fill(p);
        };
    }

    static Glyph slippery(SignCatalog.Paint paint) {
        return (g, ink) -> {
            car(g, ink.apply(paint), 0, -0.5, 1.1);
            g.setStroke(round(0.13f));
            for (int s = -1; s <= 1; s += 2) {
                Path2D.Double p = new Path2D.Double();
                p.moveTo(0.3 * s, 0.95);
                p.curveTo(0.85 * s, 0.6, -0.1 * s, 0.35, 0.35 * s, 0.05);
                g.draw(p);
            }
        };
    }

    static Glyph narrowsRight(SignCatalog.Paint paint) {
        return (g, ink) -> {
            g.setColor(ink.apply(paint));
            g.setStroke(round(0.2f));
            g.draw(new Line2D.Double(-0.4, -0.95, -0.4, 0.95));
            Path2D.Double p = new Path2D.Double();
            p.moveTo(0.55, 0.95);
            p.lineTo(0.55, 0.2);
            p.lineTo(0.1, -0.3);
            p.lineTo(0.1, -0.95);
            g.draw(p);
        };
    }

    static Glyph roadWork(SignCatalog.Paint paint) {
        return (g, ink) -> {
            g.setColor(ink.apply(paint));
            g.fill(new Ellipse2D.Double(0.05, -0.95, 0.36, 0.36));
            g.setStroke(round(0.2f));
            g.draw(new Line2D.Double(0.15, -0.5, -0.05, 0.3));
            g.draw(new Line2D.Double(-0.05, 0.3, -0.4, 0.9));
            g.draw(new Line2D.Double(-0.05, 0.3, 0.35, 0.9));
            g.draw(new Line2D.Double(0.1, -0.3, -0.6, 0.15));
            g.setStroke(round(0.12f));
            g.draw(new Line2D.Double(-0.8, 0.8, -0.2, -0.35));
            g.fill(new Ellipse2D.Double(-1.0, 0.6, 0.55, 0.4));
        };
    }

    static Glyph signals() {
        return (g, ink) -> {
            SignCatalog.Paint[] lamps = {SignCatalog.Paint.RED, SignCatalog.Paint.YELLOW, SignCatalog.Paint.GREEN};
            for (int i = 0; i < 3; i++) {
                g.setColor(ink.apply(lamps[i]));
                g.fill(new Ellipse2D.Double(-0.3, -0.95 + i * 0.65, 0.6, 0.6));
            }
        };
    }

    static Glyph pedestrian(SignCatalog.Paint paint) {
        return (g, ink) -> person(g, ink.apply(paint), 0, 0, 1);
    }

    static Glyph children(SignCatalog.Paint paint) {
        return (g, ink) -> {
            person(g, ink.apply(paint), -0.4, -0.05, 0.95);
            person(g, ink.apply(paint), 0.45, 0.25, 0.7);
        };
    }

    static Glyph bicycle(SignCatalog.Paint paint) {
        return (g, ink) -> {
            g.setColor(ink.apply(paint));
            g.setStroke(round(0.13f));
            g.draw(new Ellipse2D.Double(-0.95, 0.05, 0.7, 0.7));
            g.draw(new Ellipse2D.Double(0.25, 0.05, 0.7, 0.7));
            Path2D.Double frame = new Path2D.Double();
            frame.moveTo(-0.6, 0.4);
            frame.lineTo(-0.1, -0.25);
            frame.lineTo(0.6, 0.4);
            frame.moveTo(-0.1, -0.25);
            frame.lineTo(0.35, -0.5);
            g.draw(frame);
            g.fill(new Ellipse2D.Double(-0.35, -0.95, 0.32, 0.32));
        };
    }

    static Glyph snowflake(SignCatalog.Paint paint) {
        return (g, ink) -> {
            g.setColor(ink.apply(paint));
            g.setStroke(round(0.14f));
            for (int k = 0; k < 3; k++) {
                double a = k * Math.PI / 3 + Math.PI / 2;
                double dx = Math.cos(a);
                double dy = Math.sin(a);
                g.draw(new Line2D.Double(-0.9 * dx, -0.9 * dy, 0.9 * dx, 0.9 * dy));
                for (int s = -1; s <= 1; s += 2) {
                    double bx = 0.55 * s * dx;
                    double by = 0.55 * s * dy;
                    for (double turn : new double[] {-0.7, 0.7}) {
                        double tx = bx + 0.3 * s * Math.cos(a + turn);
                        double ty = by + 0.3 * s * Math.sin(a + turn);
                        g.draw(new Line2D.Double(bx, by, tx, ty));
                    }
                }
            }
        };
    }

    static Glyph deer(SignCatalog.Paint paint) {
        return (g, ink) -> {
            g.setColor(ink.apply(paint));
            AffineTransform saved = g.getTransform();
            g.rotate(-0.45);
            g.fill(new Ellipse2D.Double(-0.6, -0.15, 1.1, 0.45));
            g.setTransform(saved);
            g.setStroke(round(0.14f));
            g.draw(new Line2D.Double(0.25, -0.2, 0.85, 0.35));
            g.draw(new Line2D.Double(0.35, -0.3, 0.55, 0.6));
            g.draw(new Line2D.Double(-0.35, 0.3, -0.9, 0.6));
            g.draw(new Line2D.Double(-0.4, 0.25, -0.45, 0.9));
            g.draw(new Line2D.Double(0.35, -0.35, 0.45, -0.75));
            g.fill(new Ellipse2D.Double(0.35, -0.9, 0.35, 0.25));
            g.draw(new Line2D.Double(0.45, -0.85, 0.2, -1.0));
            g.draw(new Line2D.Double(0.5, -0.85, 0.7, -1.0));
        };
    }

    /** An arrow bending by 90 degrees: {@code dir} -1 for left, +1 for right. */
    static Glyph turn(int dir, SignCatalog.Paint paint) {
        return mirrored(dir, (g, ink) -> {
            g.setColor(ink.apply(paint));
            g.setStroke(round(0.3f));
            Path2D.Double p = new Path2D.Double();
            p.moveTo(-0.35, 0.95);
            p.lineTo(-0.35, 0.0);
            p.quadTo(-0.35, -0.3, -0.05, -0.3);
            p.lineTo(0.35, -0.3);
            g.draw(p);
            head(g, 0.35, -0.3, 0, 0.55);
        });
    }

    static Glyph ahead(SignCatalog.Paint paint) {
        return (g, ink) -> {
            g.setColor(ink.apply(paint));
            g.setStroke(round(0.3f));
            g.draw(new Line2D.Double(0, 0.95, 0, -0.3));
            head(g, 0, -0.3, -Math.PI / 2, 0.6);
        };
    }

    /** Straight on, or a branch to one side: {@code dir} -1 for left, +1 for right. */
    static Glyph straightOr(int dir, SignCatalog.Paint paint) {
        return mirrored(dir, (g, ink) -> {
            g.setColor(ink.apply(paint));
            g.setStroke(round(0.26f));
            g.draw(new Line2D.Double(-0.3, 0.95, -0.3, -0.35));
            head(g, -0.3, -0.35, -Math.PI / 2, 0.5);
            Path2D.Double p = new Path2D.Double();
            p.moveTo(-0.3, 0.45);
            p.quadTo(-0.3, 0.15, 0.0, 0.15);
            p.lineTo(0.35, 0.15);
            g.draw(p);
            head(g, 0.35, 0.15, 0, 0.5);
        });
    }

    /** A diagonal arrow pointing down to one side: {@code dir} -1 for left, +1 for right. */
    static Glyph keep(int dir, SignCatalog.Paint paint) {
        return mirrored(dir, (g, ink) -> {
            g.setColor(ink.apply(paint));
            g.setStroke(round(0.28f));
            g.draw(new Line2D.Double(-0.6, -0.6, 0.1, 0.1));
            head(g, 0.1, 0.1, Math.PI / 4, 0.75);
        });
    }

    static Glyph roundabout(SignCatalog.Paint paint) {
        return (g, ink) -> {
            g.setColor(ink.apply(paint));
            g.setStroke(new BasicStroke(0.22f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND));
            double r = 0.6;
            for (int k = 0; k < 3; k++) {
                double start = 100 + k * 120;
                g.draw(new Arc2D.Double(-r, -r, 2 * r, 2 * r, start, 70, Arc2D.OPEN));
                double end = Math.toRadians(start + 70);
                double x = r * Math.cos(end);
                double y = -r * Math.sin(end);
                head(g, x, y, Math.atan2(-Math.cos(end), -Math.sin(end)), 0.42);
            }
        };
    }

    /** Two vehicles side by side, as on no-passing signs; a truck on the left when {@code truck}. */
    static Glyph overtaking(boolean truck, SignCatalog.Paint left, SignCatalog.Paint right) {
        return (g, ink) -> {
            if (truck) {
                g.setColor(ink.apply(left));
                g.fill(new Rectangle2D.Double(-0.9, -0.55, 0.75, 0.8));
                g.fill(new Rectangle2D.Double(-0.8, 0.25, 0.2, 0.2));
                g.fill(new Rectangle2D.Double(-0.45, 0.25, 0.2, 0.2));
            } else {
                car(g, ink.apply(left), -0.5, 0, 1);
            }
            car(g, ink.apply(right), 0.5, 0, 1);
        };
    }

    static Glyph truck(SignCatalog.Paint paint) {
        return (g, ink) -> {
            g.setColor(ink.apply(paint));
            g.fill(new Rectangle2D.Double(-0.9, -0.45, 1.15, 0.7));
            g.fill(new Rectangle2D.Double(0.3, -0.15, 0.55, 0.4));
            g.fill(new Ellipse2D.Double(-0.75, 0.2, 0.3, 0.3));
            g.fill(new Ellipse2D.Double(0.4, 0.2, 0.3, 0.3));
        };
    }

    private static void car(Graphics2D g, Color c, double cx, double cy, double s) {
        g.setColor(c);
        g.fill(new RoundRectangle2D.Double(cx - 0.38 * s, cy - 0.1 * s, 0.76 * s, 0.42 * s, 0.15 * s, 0.15 * s));
        g.fill(new RoundRectangle2D.Double(cx - 0.26 * s, cy - 0.42 * s, 0.52 * s, 0.4 * s, 0.2 * s, 0.2 * s));
        g.fill(new Rectangle2D.Double(cx - 0.34 * s, cy + 0.3 * s, 0.16 * s, 0.15 * s));
        g.fill(new Rectangle2D.Double(cx + 0.18 * s, cy + 0.3 * s, 0.16 * s, 0.15 * s));
    }

    private static void person(Graphics2D g, Color c, double cx, double cy, double s) {
        g.setColor(c);
        g.fill(new Ellipse2D.Double(cx - 0.17 * s, cy - 0.95 * s, 0.34 * s, 0.34 * s));
        g.setStroke(round((float) (0.19 * s)));
        g.draw(new Line2D.Double(cx, cy - 0.55 * s, cx, cy + 0.2 * s));
        g.draw(new Line2D.Double(cx, cy + 0.2 * s, cx - 0.35 * s, cy + 0.9 * s));
        g.draw(new Line2D.Double(cx, cy + 0.2 * s, cx + 0.35 * s, cy + 0.9 * s));
        g.draw(new Line2D.Double(cx - 0.4 * s, cy, cx, cy - 0.4 * s));
        g.draw(new Line2D.Double(cx, cy - 0.4 * s, cx + 0.4 * s, cy));
    }

    /** A filled arrowhead whose tip is {@code length} ahead of (x, y) in direction {@code angle}. */
    private static void head(Graphics2D g, double x, double y, double angle, double length) {
        double dx = Math.cos(angle);
        double dy = Math.sin(angle);
        double w = length * 0.6;
        Path2D.Double p = new Path2D.Double();
        p.moveTo(x + dx * length, y + dy * length);
        p.lineTo(x - dy * w, y + dx * w);
        p.lineTo(x + dy * w, y - dx * w);
        p.closePath();
        g.fill(p);
    }

    private static Glyph mirrored(int dir, Glyph glyph) {
        if (dir > 0) {
            return glyph;
        }
        return (g, ink) -> {
            AffineTransform saved = g.getTransform();
            g.scale(-1, 1);
            glyph.draw(g, ink);
            g.setTransform(saved);
        };
    }

    private static BasicStroke round(float width) {
        return new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }
}
