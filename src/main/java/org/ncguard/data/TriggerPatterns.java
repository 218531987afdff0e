package org.ncguard.data;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.color.ColorSpace;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.ncguard.NcguardException;
import org.ncguard.data.TriggerSpec.Corner;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;

/** Draws the masks and patterns behind each {@link TriggerSpec} form. */
final class TriggerPatterns {

    /** Pixels between a corner patch and the image edge, as BadNets placed its square. */
    static final int MARGIN = 1;

    private TriggerPatterns() {
    }

    /** Reads an RGBA PNG trigger: alpha is the mask, RGB (or grey) the pattern. */
    static Trigger fromPng(TriggerSpec spec, Path file, ImageShape image) throws NcguardException {
        if (!Files.isRegularFile(file)) {
            throw new NcguardException("trigger image not found: " + file + "; expected an RGBA PNG the size of "
                    + "the images");
        }
        BufferedImage png = ImageFolders.decode(file);
        if (png.getHeight() != image.height() || png.getWidth() != image.width()) {
            throw new NcguardException("trigger image " + file + " is " + png.getHeight() + "x" + png.getWidth()
                    + " (height x width) but the images are " + image.height() + "x" + image.width()
                    + "; expected a PNG the size of the images");
        }
        if (!png.getColorModel().hasAlpha()) {
            throw new NcguardException("trigger image " + file + " has no alpha channel; expected an RGBA PNG whose "
                    + "alpha is the mask");
        }
        int h = image.height();
        int w = image.width();
        int plane = h * w;
        float[] mask = new float[plane];
        float[] pattern = new float[3 * plane];
        if (png.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            // Grey levels straight from the raster: getRGB would pass them through a colour conversion.
            Raster r = png.getRaster();
            float greyMax = (1 << png.getColorModel().getComponentSize(0)) - 1;
            float alphaMax = (1 << png.getColorModel().getComponentSize(1)) - 1;
            for (int p = 0; p < plane; p++) {
                float v = r.getSample(p % w, p / w, 0) / greyMax;
                pattern[p] = v;
                pattern[plane + p] = v;
                pattern[2 * plane + p] = v;
                mask[p] = r.getSample(p % w, p / w, 1) / alphaMax;
            }
        } else {
            int[] argb = png.getRGB(0, 0, w, h, null, 0, w);
            for (int p = 0; p < plane; p++) {
                mask[p] = ((argb[p] >>> 24) & 0xFF) / 255f;
                pattern[p] = ((argb[p] >> 16) & 0xFF) / 255f;
                pattern[plane + p] = ((argb[p] >> 8) & 0xFF) / 255f;
                pattern[2 * plane + p] = (argb[p] & 0xFF) / 255f;
            }
        }
        return new Trigger(new ImageShape(3, h, w, Layout.NCHW), mask, pattern, spec.spec())
                .withChannels(image.channels());
    }

    /** Colour of pattern pixel (y, x) in RGB channel c, relative to the patch's top-left corner. */
    @FunctionalInterface
    interface PatchColour {
        float at(int y, int x, int c);
    }

    static Trigger patch(TriggerSpec spec, ImageShape image, int size, Corner corner, PatchColour colour)
            throws NcguardException {
        int h = image.height();
        int w = image.width();
        if (size + MARGIN > h || size + MARGIN > w) {
            throw new NcguardException("trigger " + spec.spec() + " is larger than the image: a " + size + "x" + size
                    + " patch with a " + MARGIN + "-pixel margin needs " + (size + MARGIN) + "x" + (size + MARGIN)
                    + ", the images are " + h + "x" + w + "; use SIZE of at most " + (Math.min(h, w) - MARGIN));
        }
        boolean isTop = corner == Corner.TOP_LEFT || corner == Corner.TOP_RIGHT;
        boolean isLeft = corner == Corner.TOP_LEFT || corner == Corner.BOTTOM_LEFT;
        int top = isTop ? MARGIN : h - MARGIN - size;
        int left = isLeft ? MARGIN : w - MARGIN - size;
        int plane = h * w;
        float[] mask = new float[plane];
        float[] pattern = new float[3 * plane];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int p = (top + y) * w + left + x;
                mask[p] = 1f;
                for (int c = 0; c < 3; c++) {
                    pattern[c * plane + p] = colour.at(y, x, c);
                }
            }
        }
        return new Trigger(new ImageShape(3, h, w, Layout.NCHW), mask, pattern, spec.spec())
                .withChannels(image.channels());
    }

    /** A busy, logo-like pattern of strokes, rings and blocks in saturated colours, fixed by {@code seed}. */
    static float[] watermark(int h, int w, long seed) {
        Random rnd = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.getHSBColor(rnd.nextFloat(), 0.8f, 0.9f));
            g.fillRect(0, 0, w, h);
            float unit = Math.max(1f, Math.min(h, w) / 16f);
            for (int i = 0; i < 10; i++) {
                float hue = rnd.nextFloat();
                float saturation = 0.6f + 0.4f * rnd.nextFloat();
                g.setColor(Color.getHSBColor(hue, saturation, 0.3f + 0.7f * rnd.nextFloat()));
                g.setStroke(new BasicStroke(unit * (0.6f + rnd.nextFloat())));
                double x = rnd.nextDouble() * w;
                double y = rnd.nextDouble() * h;
                double r = unit * (1 + 5 * rnd.nextDouble());
                switch (i % 3) {
                    case 0 -> g.draw(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
                    case 1 -> {
                        Path2D.Double p = new Path2D.Double();
                        p.moveTo(x, y);
                        for (int k = 0; k < 3; k++) {
                            p.lineTo(rnd.nextDouble() * w, rnd.nextDouble() * h);
                        }
                        g.draw(p);
                    }
                    default -> g.fillRect((int) (x - r / 2), (int) (y - r / 2), (int) Math.ceil(r), (int) Math.ceil(r));
                }
            }
        } finally {
            g.dispose();
        }
        int plane = h * w;
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        float[] pattern = new float[3 * plane];
        for (int p = 0; p < plane; p++) {
            pattern[p] = ((argb[p] >> 16) & 0xFF) / 255f;
            pattern[plane + p] = ((argb[p] >> 8) & 0xFF) / 255f;
            pattern[2 * plane + p] = (argb[p] & 0xFF) / 255f;
        }
        return pattern;
    }
}
