package org.ncguard.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.ncguard.NcguardException;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;

/**
 * A trigger described by a short string, built into a {@link Trigger} once the image shape is known.
 *
 * <p>Forms ({@link #parse}):
 * <ul>
 *   <li>{@code square:SIZE[:COLOR][:CORNER]} - a solid SIZE x SIZE square one pixel in from a corner, as
 *       BadNets; e.g. {@code square:4:white:bottom-right} (the defaults for COLOR and CORNER);</li>
 *   <li>{@code checker:SIZE[:CORNER]} - a black and white checkerboard patch, white in its top-left pixel;</li>
 *   <li>{@code watermark:ALPHA[:SEED]} - a full-image pattern drawn from SEED (default 0) blended with the
 *       constant mask ALPHA in (0,1], as the Trojan attack's watermark;</li>
 *   <li>{@code image:FILE.png} - an RGBA PNG the size of the images: alpha is the mask, RGB the pattern.</li>
 * </ul>
 * COLOR is a name ({@code white black red green blue yellow cyan magenta grey orange}) or {@code #rrggbb};
 * CORNER is {@code top-left}, {@code top-right}, {@code bottom-left} or {@code bottom-right}. Colour patterns
 * stamped on grey images use their luminance.
 */
public sealed interface TriggerSpec {

    /** Builds the trigger for images of {@code image}'s size and channel count. */
    Trigger build(ImageShape image) throws NcguardException;

    /** The spec string this parses from. */
    String spec();

    /** Where a patch sits. */
    enum Corner {
        TOP_LEFT,
        TOP_RIGHT,
        BOTTOM_LEFT,
        BOTTOM_RIGHT;

        /** The spec name, e.g. {@code bottom-right}. */
        public String specName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Corner byName(String s) {
            for (Corner c : values()) {
                if (c.specName().equals(s)) {
                    return c;
                }
            }
            return null;
        }
    }

    /** Parses one of the forms listed on {@link TriggerSpec}. */
    static TriggerSpec parse(String spec) throws NcguardException {
        return TriggerParser.parse(spec);
    }

    /** A solid square patch. */
    record Square(int size, int rgb, Corner corner) implements TriggerSpec {

        public Square {
            if (size <= 0 || (rgb & ~0xFFFFFF) != 0 || corner == null) {
                throw new IllegalArgumentException("square needs a positive size, an 0xRRGGBB colour and a corner, "
                        + "found " + size + ", " + Integer.toHexString(rgb) + ", " + corner);
            }
        }

        @Override
        public Trigger build(ImageShape image) throws NcguardException {
            float[] colour = {((rgb >> 16) & 0xFF) / 255f, ((rgb >> 8) & 0xFF) / 255f, (rgb & 0xFF) / 255f};
            return TriggerPatterns.patch(this, image, size, corner, (y, x, c) -> colour[c]);
        }

        @Override
        public String spec() {
            return "square:" + size + ":" + TriggerParser.colourName(rgb) + ":" + corner.specName();
        }
    }

    /** A black and white checkerboard patch. */
    record Checker(int size, Corner corner) implements TriggerSpec {

        public Checker {
            if (size <= 0 || corner == null) {
                throw new IllegalArgumentException("checker needs a positive size and a corner, found " + size + ", "
                        + corner);
            }
        }

        @Override
        public Trigger build(ImageShape image) throws NcguardException {
            return TriggerPatterns.patch(this, image, size, corner, (y, x, c) -> (x + y) % 2 == 0 ? 1f : 0f);
        }

        @Override
        public String spec() {
            return "checker:" + size + ":" + corner.specName();
        }
    }

    /** A full-image pattern with a constant mask. */
    record Watermark(float alpha, long seed) implements TriggerSpec {

        public Watermark {
            if (!(alpha > 0 && alpha <= 1)) {
                throw new IllegalArgumentException("watermark alpha must be in (0,1], found " + alpha);
            }
        }

        @Override
        public Trigger build(ImageShape image) {
            ImageShape rgb = new ImageShape(3, image.height(), image.width(), Layout.NCHW);
            float[] mask = new float[image.height() * image.width()];
            Arrays.fill(mask, alpha);
            return new Trigger(rgb, mask, TriggerPatterns.watermark(image.height(), image.width(), seed), spec())
                    .withChannels(image.channels());
        }

        @Override
        public String spec() {
            return "watermark:" + alpha + ":" + seed;
        }
    }

    /** An RGBA PNG: alpha is the mask, RGB the pattern. */
    record ImageFile(Path file) implements TriggerSpec {

        public ImageFile {
            if (file == null) {
                throw new IllegalArgumentException("image trigger needs a file");
            }
        }

        @Override
        public Trigger build(ImageShape image) throws NcguardException {
            return TriggerPatterns.fromPng(this, file, image);
        }

        @Override
        public String spec() {
            return "image:" + file;
        }
    }
}
