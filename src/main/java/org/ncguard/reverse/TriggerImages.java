package org.ncguard.reverse;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Pictures of a reversed trigger for people: the mask (grey, white = fully replaced), the pattern (grey or RGB),
 * and mask times pattern on black (what the trigger adds to an image, as in Fig. 3 and 4 of the paper).
 *
 * <p>Triggers are as small as the model's input (28 or 32 pixels), so the images are scaled up by whole
 * factors with nearest-neighbour sampling to at least {@value #MIN_WIDTH} pixels wide: each input pixel stays a
 * sharp square.
 */
public final class TriggerImages {

    /** Images are scaled up to at least this many pixels wide. */
    public static final int MIN_WIDTH = 128;

    private TriggerImages() {
    }

    /** The whole-number scale factor that makes {@code width} at least {@link #MIN_WIDTH} pixels. */
    public static int scaleFor(int width) {
        if (width <= 0) {
            throw new IllegalArgumentException("width must be positive, found " + width);
        }
        return Math.max(1, (MIN_WIDTH + width - 1) / width);
    }

    /** The mask as a grey image. */
    public static BufferedImage mask(ReversedTrigger t) {
        return render(t.mask(), 1, t.height(), t.width());
    }

    /** The pattern, grey for one channel, RGB for three. */
    public static BufferedImage pattern(ReversedTrigger t) {
        return render(t.pattern(), t.channels(), t.height(), t.width());
    }

    /** Mask times pattern: the trigger as it appears stamped on a black image. */
    public static BufferedImage trigger(ReversedTrigger t) {
        return render(t.visible(), t.channels(), t.height(), t.width());
    }

    /**
     * The image encoded as PNG. The stream is cached in memory: ImageIO's default file cache closes itself when the
     * JVM shuts down, so a scan saving its last trigger after Ctrl-C would fail.
     */
    public static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            if (!ImageIO.write(image, "png", stream)) {
                throw new IllegalStateException("this JDK has no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding into memory failed", e);
        }
        return out.toByteArray();
    }

    /** Channel-planar values in [0, 1] to an 8-bit image, each pixel a scale x scale square. */
    private static BufferedImage render(float[] planar, int channels, int height, int width) {
        int scale = scaleFor(width);
        BufferedImage image = new BufferedImage(width * scale, height * scale,
                channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        WritableRaster raster = image.getRaster();
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (channels == 1) {
                    fill(raster, x, y, scale, 0, toByte(planar[y * width + x]));
                } else {
                    for (int c = 0; c < 3; c++) {
                        fill(raster, x, y, scale, c, toByte(planar[c * plane + y * width + x]));
                    }
                }
            }
        }
        return image;
    }

    /** Sets band {@code band} of the scale x scale block of pixel (x, y); the raster holds samples, not sRGB. */
    private static void fill(WritableRaster raster, int x, int y, int scale, int band, int value) {
        for (int dy = 0; dy < scale; dy++) {
            for (int dx = 0; dx < scale; dx++) {
                raster.setSample(x * scale + dx, y * scale + dy, band, value);
            }
        }
    }

    static int toByte(float v) {
        return Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
    }
}
