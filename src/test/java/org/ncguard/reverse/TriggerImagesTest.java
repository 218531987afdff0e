package org.ncguard.reverse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

class TriggerImagesTest {

    @Test
    void scalesByWholeFactorsToAtLeast128Pixels() {
        assertEquals(5, TriggerImages.scaleFor(28));   // 4 * 28 = 112 < 128 <= 140 = 5 * 28
        assertEquals(4, TriggerImages.scaleFor(32));   // 4 * 32 = 128
        assertEquals(2, TriggerImages.scaleFor(127));
        assertEquals(1, TriggerImages.scaleFor(128));
        assertEquals(1, TriggerImages.scaleFor(224));
    }

    /** 1 channel, 28x28: mask 0.25 everywhere except 1 at (y 3, x 5); pattern 0.8 everywhere. */
    private static ReversedTrigger grey() {
        float[] mask = new float[28 * 28];
        java.util.Arrays.fill(mask, 0.25f);
        mask[3 * 28 + 5] = 1f;
        float[] pattern = new float[28 * 28];
        java.util.Arrays.fill(pattern, 0.8f);
        return new ReversedTrigger(1, 1, 28, 28, mask, pattern);
    }

    @Test
    void maskIsGreyWithSharpBlocks() {
        BufferedImage image = TriggerImages.mask(grey());
        assertEquals(140, image.getWidth());
        assertEquals(140, image.getHeight());
        // Pixel (x 5, y 3) covers x 25..29, y 15..19 at scale 5: all white. 0.25 * 255 = 63.75 -> 64.
        for (int y = 15; y < 20; y++) {
            for (int x = 25; x < 30; x++) {
                assertEquals(255, image.getRaster().getSample(x, y, 0), x + "," + y);
            }
        }
        assertEquals(64, image.getRaster().getSample(24, 15, 0));
        assertEquals(64, image.getRaster().getSample(30, 19, 0));
        assertEquals(64, image.getRaster().getSample(25, 20, 0));
    }

    @Test
    void triggerIsMaskTimesPatternOnBlack() {
        BufferedImage image = TriggerImages.trigger(grey());
        // 1 * 0.8 * 255 = 204; 0.25 * 0.8 * 255 = 51.
        assertEquals(204, image.getRaster().getSample(27, 17, 0));
        assertEquals(51, image.getRaster().getSample(0, 0, 0));
    }

    @Test
    void threeChannelPatternIsRgb() {
        // 1x2 image, pattern planes R (1, 0), G (0.5, 0), B (0, 1); scale 64.
        ReversedTrigger t = new ReversedTrigger(0, 3, 1, 2, new float[] {1f, 0f},
                new float[] {1f, 0f, 0.5f, 0f, 0f, 1f});
        BufferedImage pattern = TriggerImages.pattern(t);
        assertEquals(128, pattern.getWidth());
        assertEquals(64, pattern.getHeight());
        // 0.5 * 255 = 127.5 -> 128
        assertEquals(0xFF8000, pattern.getRGB(10, 10) & 0xFFFFFF);
        assertEquals(0x0000FF, pattern.getRGB(100, 10) & 0xFFFFFF);
        // mask 0 on the right: the visible trigger is black there.
        assertEquals(0x000000, TriggerImages.trigger(t).getRGB(100, 10) & 0xFFFFFF);
        assertEquals(0xFF8000, TriggerImages.trigger(t).getRGB(10, 10) & 0xFFFFFF);
    }

    @Test
    void pngKeepsTheGreyValues() throws Exception {
        byte[] png = TriggerImages.png(TriggerImages.mask(grey()));
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(140, back.getWidth());
        assertEquals(255, back.getRaster().getSample(27, 17, 0));
        assertEquals(64, back.getRaster().getSample(0, 0, 0));
    }
}
