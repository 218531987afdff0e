package org.ncguard.data;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Draws one traffic sign of a given class with random nuisance: a cluttered gradient background, sometimes
 * a pole or an occluding twig, sign size, offset, rotation and squash, faded and jittered paint, then
 * lighting (brightness, contrast, shading, colour cast), blur and sensor noise.
 *
 * <p>All randomness comes from the {@link Random} passed in, so an image is a pure function of its class
 * and that generator's seed.
 */
final class SignRenderer {

    /** Images are square, this many pixels on a side. */
    static final int SIZE = 32;

    private SignRenderer() {
    }

    /** Renders class {@code classId} into RGB bytes, channel-planar (CHW). */
    static byte[] render(int classId, Random rnd) {
        SignCatalog.SignClass sign = SignCatalog.CLASSES.get(classId);
        BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            background(g, rnd);
            double radius = SIZE * uniform(rnd, 0.3, 0.45);
            double slack = Math.max(0, Math.min(4.0, SIZE / 2.0 - radius * 0.95));
            double cx = SIZE / 2.0 + uniform(rnd, -slack, slack);
            double cy = SIZE / 2.0 + uniform(rnd, -slack, slack);
            if (rnd.nextDouble() < 0.4) {
                g.setColor(greyish(rnd));
                double w = uniform(rnd, 1.5, 3.5);
                g.fill(new Rectangle2D.Double(cx - w / 2, cy, w, SIZE));
            }
            sign(g, sign, cx, cy, radius, rnd);
            if (rnd.nextDouble() < 0.15) {
                g.setColor(new Color(rnd.nextInt(90), 40 + rnd.nextInt(80), rnd.nextInt(60)));
                g.setStroke(new BasicStroke((float) uniform(rnd, 0.8, 2.2), BasicStroke.CAP_ROUND,
                        BasicStroke.JOIN_ROUND));
                double a = rnd.nextDouble() * Math.PI;
                double x = rnd.nextDouble() * SIZE;
                double y = rnd.nextDouble() * SIZE;
                double len = uniform(rnd, 6, 16);
                g.draw(new Line2D.Double(x, y, x + len * Math.cos(a), y + len * Math.sin(a)));
            }
        } finally {
            g.dispose();
        }
        return develop(img, rnd);
    }

    private static void background(Graphics2D g, Random rnd) {
        Color a = natural(rnd);
        Color b = natural(rnd);
        g.setPaint(new GradientPaint((float) (rnd.nextDouble() * SIZE), 0, a,
                (float) (rnd.nextDouble() * SIZE), SIZE, b));
        g.fillRect(0, 0, SIZE, SIZE);
        int clutter = rnd.nextInt(7);
        for (int i = 0; i < clutter; i++) {
            g.setColor(rnd.nextDouble() < 0.7 ? natural(rnd) : vivid(rnd));
            double x = rnd.nextDouble() * SIZE;
            double y = rnd.nextDouble() * SIZE;
            double w = uniform(rnd, 2, 16);
            double h = uniform(rnd, 2, 16);
            switch (rnd.nextInt(4)) {
                case 0 -> g.fill(new Rectangle2D.Double(x - w / 2, y - h / 2, w, h));
                case 1 -> g.fill(new Ellipse2D.Double(x - w / 2, y - h / 2, w, h));
                case 2 -> {
                    g.setStroke(new BasicStroke((float) uniform(rnd, 0.7, 2.5)));
                    g.draw(new Line2D.Double(x, y, x + uniform(rnd, -16, 16), y + uniform(rnd, -16, 16)));
                }
                default -> {
                    Path2D.Double p = new Path2D.Double();
                    p.moveTo(x, y);
                    p.lineTo(x + w, y + uniform(rnd, -8, 8));
                    p.lineTo(x + uniform(rnd, -8, 8), y + h);
                    p.closePath();
                    g.fill(p);
                }
            }
        }
    }

    private static void sign(Graphics2D g, SignCatalog.SignClass sign, double cx, double cy, double radius,
            Random rnd) {
        Map<SignCatalog.Paint, Color> paints = new EnumMap<>(SignCatalog.Paint.class);
        double fade = uniform(rnd, 0, 0.3);
        for (SignCatalog.Paint p : SignCatalog.Paint.values()) {
            paints.put(p, new Color(jitter(p.r, fade, rnd), jitter(p.g, fade, rnd), jitter(p.b, fade, rnd)));
        }
        AffineTransform base = g.getTransform();
        g.translate(cx, cy);
        g.rotate(uniform(rnd, -0.2, 0.2));
        g.scale(radius * uniform(rnd, 0.82, 1.08), radius * uniform(rnd, 0.95, 1.05));
        g.setColor(paints.get(sign.border()));
        g.fill(sign.outline().shape(0));
        Shape face = sign.outline().shape(sign.borderWidth());
        g.setColor(paints.get(sign.face()));
        g.fill(face);
        g.clip(face);
        g.translate(0, sign.outline().glyphY);
        g.scale(sign.outline().glyphScale, sign.outline().glyphScale);
        sign.glyph().draw(g, paints::get);
        g.setClip(null);
        g.setTransform(base);
    }

    /** Lighting, blur and noise on the drawn image; returns CHW bytes. */
    private static byte[] develop(BufferedImage img, Random rnd) {
        int n = SIZE * SIZE;
        int[] argb = img.getRGB(0, 0, SIZE, SIZE, null, 0, SIZE);
        float[][] ch = new float[3][n];
        float mean = 0;
        for (int p = 0; p < n; p++) {
            ch[0][p] = (argb[p] >> 16) & 0xFF;
            ch[1][p] = (argb[p] >> 8) & 0xFF;
            ch[2][p] = argb[p] & 0xFF;
            mean += ch[0][p] + ch[1][p] + ch[2][p];
        }
        mean /= 3 * n;
        double brightness = uniform(rnd, 0.4, 1.3);
        double contrast = uniform(rnd, 0.55, 1.2);
        double shadeX = uniform(rnd, -0.35, 0.35) / SIZE;
        double shadeY = uniform(rnd, -0.35, 0.35) / SIZE;
        double sigma = uniform(rnd, 0, 1.1);
        double noise = uniform(rnd, 1, 10);
        for (int c = 0; c < 3; c++) {
            double cast = brightness * uniform(rnd, 0.9, 1.1);
            float[] v = ch[c];
            for (int p = 0; p < n; p++) {
                double shade = 1 + shadeX * (p % SIZE - SIZE / 2.0) + shadeY * (p / SIZE - SIZE / 2.0);
                v[p] = (float) (((v[p] - mean) * contrast + mean) * cast * shade);
            }
            if (sigma > 0.3) {
                blur(v, sigma);
            }
        }
        // SplittableRandom's Gaussian (ziggurat) is several times faster than Random's for 3,072 draws.
        SplittableRandom grain = new SplittableRandom(rnd.nextLong());
        byte[] out = new byte[3 * n];
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < n; p++) {
                double v = ch[c][p] + grain.nextGaussian() * noise;
                out[c * n + p] = (byte) Math.max(0, Math.min(255, (int) Math.round(v)));
            }
        }
        return out;
    }

    /** Separable Gaussian blur with edge clamping, radius 2. */
    private static void blur(float[] v, double sigma) {
        float[] k = new float[5];
        float sum = 0;
        for (int i = -2; i <= 2; i++) {
            k[i + 2] = (float) Math.exp(-i * i / (2 * sigma * sigma));
            sum += k[i + 2];
        }
        for (int i = 0; i < 5; i++) {
            k[i] /= sum;
        }
        float[] tmp = new float[v.length];
        convolve(v, tmp, k, 1, SIZE);
        convolve(tmp, v, k, SIZE, 1);
    }

    /** 5-tap convolution along one axis: {@code step} between taps, {@code lineStep} between lines. */
    private static void convolve(float[] in, float[] out, float[] k, int step, int lineStep) {
        for (int line = 0; line < SIZE; line++) {
            int base = line * lineStep;
            for (int i = 0; i < SIZE; i++) {
                float s = 0;
                for (int t = -2; t <= 2; t++) {
                    int j = Math.max(0, Math.min(SIZE - 1, i + t));
                    s += k[t + 2] * in[base + j * step];
                }
                out[base + i * step] = s;
            }
        }
    }

    private static int jitter(int value, double fade, Random rnd) {
        double v = value + (128 - value) * fade + rnd.nextGaussian() * 10;
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    /** Muted colours of sky, foliage, walls and road. */
    private static Color natural(Random rnd) {
        return Color.getHSBColor(rnd.nextFloat(), (float) uniform(rnd, 0, 0.55), (float) uniform(rnd, 0.1, 0.95));
    }

    private static Color vivid(Random rnd) {
        return Color.getHSBColor(rnd.nextFloat(), (float) uniform(rnd, 0.6, 1), (float) uniform(rnd, 0.5, 1));
    }

    private static Color greyish(Random rnd) {
        int v = 70 + rnd.nextInt(120);
        return new Color(v, v, v + rnd.nextInt(10));
    }

    private static double uniform(Random rnd, double lo, double hi) {
        return lo + (hi - lo) * rnd.nextDouble();
    }
}
