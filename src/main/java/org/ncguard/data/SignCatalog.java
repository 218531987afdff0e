package org.ncguard.data;

import java.awt.Color;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.util.List;
import org.ncguard.data.SignGlyphs.Glyph;

/**
 * The 43 classes of {@code builtin:signs}, modelled on the German Traffic Sign Recognition Benchmark
 * (GTSRB): same class order and the same grouping, so that many classes share shape and colours and differ
 * only in the pictogram (eleven red-ringed circles, fifteen red warning triangles, eight blue circles).
 */
final class SignCatalog {

    /** Colours a sign is painted with; each image jitters them a little. */
    enum Paint {
        RED(200, 25, 30),
        BLUE(25, 75, 175),
        YELLOW(245, 195, 20),
        WHITE(240, 240, 235),
        BLACK(25, 25, 25),
        GREY(135, 135, 135),
        GREEN(30, 160, 60);

        final int r;
        final int g;
        final int b;

        Paint(int r, int g, int b) {
            this.r = r;
            this.g = g;
            this.b = b;
        }
    }

    /** Sign outlines, in a box from -1 to 1; {@code glyphScale}/{@code glyphY} place the pictogram. */
    enum Outline {
        CIRCLE(0, 0.66, 0),
        TRIANGLE_UP(0.22, 0.42, 0.25),
        TRIANGLE_DOWN(-0.22, 0.42, -0.25),
        OCTAGON(0, 0.72, 0),
        DIAMOND(0, 0.45, 0);

        /** Vertical centre used when shrinking the outline for the border. */
        final double centreY;
        final double glyphScale;
        final double glyphY;

        Outline(double centreY, double glyphScale, double glyphY) {
            this.centreY = centreY;
            this.glyphScale = glyphScale;
            this.glyphY = glyphY;
        }

        /** The outline shrunk by {@code inset} (0 = full size) towards its centre. */
        Shape shape(double inset) {
            double k = 1 - inset;
            AffineTransform t = new AffineTransform();
            t.translate(0, centreY);
            t.scale(k, k);
            t.translate(0, -centreY);
            return t.createTransformedShape(full());
        }

        private Shape full() {
            switch (this) {
                case CIRCLE:
                    return new Ellipse2D.Double(-1, -1, 2, 2);
                case TRIANGLE_UP:
                    return polygon(0, -1.05, 1.12, 0.88, -1.12, 0.88);
                case TRIANGLE_DOWN:
                    return polygon(0, 1.05, 1.12, -0.88, -1.12, -0.88);
                case OCTAGON: {
                    double[] xy = new double[16];
                    for (int i = 0; i < 8; i++) {
                        double a = Math.PI / 8 + i * Math.PI / 4;
                        xy[2 * i] = Math.cos(a);
                        xy[2 * i + 1] = Math.sin(a);
                    }
                    return polygon(xy);
                }
                case DIAMOND:
                    return polygon(0, -1.05, 1.05, 0, 0, 1.05, -1.05, 0);
                default:
                    throw new AssertionError(this);
            }
        }

        private static Shape polygon(double... xy) {
            Path2D.Double p = new Path2D.Double();
            p.moveTo(xy[0], xy[1]);
            for (int i = 2; i < xy.length; i += 2) {
                p.lineTo(xy[i], xy[i + 1]);
            }
            p.closePath();
            return p;
        }
    }

    /**
     * One class: an outline filled with {@code face}, a border of {@code border} taking {@code borderWidth}
     * of the radius, and a glyph on the face.
     */
    record SignClass(String name, Outline outline, Paint face, Paint border, double borderWidth, Glyph glyph) {
    }

    static final List<SignClass> CLASSES = build();

    private SignCatalog() {
    }

    private static List<SignClass> build() {
        Paint k = Paint.BLACK;
        return List.of(
                prohibitory("speed limit 20", SignGlyphs.text("20", k)),
                prohibitory("speed limit 30", SignGlyphs.text("30", k)),
                prohibitory("speed limit 50", SignGlyphs.text("50", k)),
                prohibitory("speed limit 60", SignGlyphs.text("60", k)),
                prohibitory("speed limit 70", SignGlyphs.text("70", k)),
                prohibitory("speed limit 80", SignGlyphs.text("80", k)),
                end("end of speed limit 80", SignGlyphs.text("80", Paint.GREY).and(SignGlyphs.diagonals(1, 0.16, k))),
                prohibitory("speed limit 100", SignGlyphs.text("100", k)),
                prohibitory("speed limit 120", SignGlyphs.text("120", k)),
                prohibitory("no passing", SignGlyphs.overtaking(false, Paint.RED, k)),
                prohibitory("no passing for trucks", SignGlyphs.overtaking(true, Paint.RED, k)),
                warning("right of way at next intersection", SignGlyphs.cross(k)),
                new SignClass("priority road", Outline.DIAMOND, Paint.YELLOW, Paint.WHITE, 0.25, SignGlyphs.NONE),
                new SignClass("yield", Outline.TRIANGLE_DOWN, Paint.WHITE, Paint.RED, 0.3, SignGlyphs.NONE),
                new SignClass("stop", Outline.OCTAGON, Paint.RED, Paint.WHITE, 0.08,
                        SignGlyphs.text("STOP", Paint.WHITE)),
                prohibitory("no vehicles", SignGlyphs.NONE),
                prohibitory("trucks prohibited", SignGlyphs.truck(k)),
                new SignClass("no entry", Outline.CIRCLE, Paint.RED, Paint.RED, 0, SignGlyphs.bar(Paint.WHITE)),
                warning("general caution", SignGlyphs.exclamation(k)),
                warning("dangerous curve left", SignGlyphs.curve(-1, k)),
                warning("dangerous curve right", SignGlyphs.curve(1, k)),
                warning("double curve", SignGlyphs.doubleCurve(k)),
                warning("bumpy road", SignGlyphs.bumps(k)),
                warning("slippery road", SignGlyphs.slippery(k)),
                warning("road narrows on the right", SignGlyphs.narrowsRight(k)),
                warning("road work", SignGlyphs.roadWork(k)),
                warning("traffic signals", SignGlyphs.signals()),
                warning("pedestrians", SignGlyphs.pedestrian(k)),
                warning("children crossing", SignGlyphs.children(k)),
                warning("bicycles crossing", SignGlyphs.bicycle(k)),
                warning("beware of ice/snow", SignGlyphs.snowflake(k)),
                warning("wild animals crossing", SignGlyphs.deer(k)),
                end("end of all speed and passing limits", SignGlyphs.diagonals(4, 0.09, k)),
                mandatory("turn right ahead", SignGlyphs.turn(1, Paint.WHITE)),
                mandatory("turn left ahead", SignGlyphs.turn(-1, Paint.WHITE)),
                mandatory("ahead only", SignGlyphs.ahead(Paint.WHITE)),
                mandatory("go straight or right", SignGlyphs.straightOr(1, Paint.WHITE)),
                mandatory("go straight or left", SignGlyphs.straightOr(-1, Paint.WHITE)),
                mandatory("keep right", SignGlyphs.keep(1, Paint.WHITE)),
                mandatory("keep left", SignGlyphs.keep(-1, Paint.WHITE)),
                mandatory("roundabout mandatory", SignGlyphs.roundabout(Paint.WHITE)),
                end("end of no passing", SignGlyphs.overtaking(false, Paint.GREY, Paint.GREY)
                        .and(SignGlyphs.diagonals(3, 0.08, k))),
                end("end of no passing for trucks", SignGlyphs.overtaking(true, Paint.GREY, Paint.GREY)
                        .and(SignGlyphs.diagonals(3, 0.08, k))));
    }

    private static SignClass prohibitory(String name, Glyph glyph) {
        return new SignClass(name, Outline.CIRCLE, Paint.WHITE, Paint.RED, 0.22, glyph);
    }

    private static SignClass warning(String name, Glyph glyph) {
        return new SignClass(name, Outline.TRIANGLE_UP, Paint.WHITE, Paint.RED, 0.24, glyph);
    }

    private static SignClass mandatory(String name, Glyph glyph) {
        return new SignClass(name, Outline.CIRCLE, Paint.BLUE, Paint.WHITE, 0.06, glyph);
    }

    private static SignClass end(String name, Glyph glyph) {
        return new SignClass(name, Outline.CIRCLE, Paint.WHITE, Paint.GREY, 0.05, glyph);
    }

    /** The colour of {@code p} as plain AWT, before any jitter. */
    static Color colour(Paint p) {
        return new Color(p.r, p.g, p.b);
    }
}
