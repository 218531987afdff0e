package org.ncguard.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ncguard.NcguardException;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;

class TriggerTest {

    private static final ImageShape RGB32 = new ImageShape(3, 32, 32, Layout.NCHW);
    private static final ImageShape GREY28 = new ImageShape(1, 28, 28, Layout.NCHW);

    @TempDir
    Path dir;

    @Test
    void stampingBlendsMaskAndPattern() {
        ImageShape shape = new ImageShape(3, 2, 2, Layout.NCHW);
        float[] mask = {0f, 0.25f, 0.5f, 1f};
        float[] pattern = new float[12];
        float[] image = new float[12];
        Random rnd = new Random(5);
        for (int i = 0; i < 12; i++) {
            pattern[i] = rnd.nextFloat();
            image[i] = rnd.nextFloat();
        }
        Trigger t = new Trigger(shape, mask, pattern, "test");
        float[] out = t.stamped(image);
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < 4; p++) {
                int i = c * 4 + p;
                assertEquals((1 - mask[p]) * image[i] + mask[p] * pattern[i], out[i], 1e-6f);
            }
        }
        assertEquals(image[0], out[0], "mask 0 leaves the pixel alone");
        assertEquals(pattern[11], out[11], "mask 1 replaces it");
        assertEquals(1.75, t.maskL1(), 1e-6);

        Batch batch = new Batch(concat(image, image), new int[] {3, 4}, shape);
        Batch stamped = t.stamped(batch);
        assertArrayEquals(out, stamped.image(1));
        assertArrayEquals(new int[] {3, 4}, stamped.labels());
        assertEquals(image[11], batch.pixels()[23], "the input batch is not changed");
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @ParameterizedTest
    @CsvSource({"top-left, 1, 1", "top-right, 1, 27", "bottom-left, 27, 1", "bottom-right, 27, 27"})
    void squareSitsOnePixelInFromItsCorner(String corner, int top, int left) throws Exception {
        Trigger t = TriggerSpec.parse("square:4:white:" + corner).build(RGB32);
        float[] mask = t.mask();
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                boolean inside = y >= top && y < top + 4 && x >= left && x < left + 4;
                assertEquals(inside ? 1f : 0f, mask[y * 32 + x], "y=" + y + " x=" + x);
            }
        }
        assertEquals(16, t.maskL1(), 1e-6);
    }

    @Test
    void squareDefaultsToWhiteBottomRightAndTakesHexColours() throws Exception {
        TriggerSpec plain = TriggerSpec.parse("square:4");
        assertEquals(TriggerSpec.parse("square:4:white:bottom-right"), plain);
        assertEquals("square:4:white:bottom-right", plain.spec());

        Trigger t = TriggerSpec.parse("square:3:#ff8000:top-left").build(RGB32);
        float[] p = t.pattern();
        int pixel = 1 * 32 + 1;
        assertEquals(1f, p[pixel], 1e-6f);
        assertEquals(0x80 / 255f, p[1024 + pixel], 1e-6f);
        assertEquals(0f, p[2048 + pixel], 1e-6f);
        assertEquals(TriggerSpec.parse(t.description()), TriggerSpec.parse("square:3:orange:top-left"));
    }

    @Test
    void colourTriggerOnGreyImagesUsesLuminance() throws Exception {
        Trigger t = TriggerSpec.parse("square:2:red").build(GREY28);
        assertEquals(GREY28, t.shape());
        int pixel = 25 * 28 + 25;
        assertEquals(1f, t.mask()[pixel]);
        assertEquals(0.299f, t.pattern()[pixel], 1e-6f);
    }

    @Test
    void checkerAlternatesBlackAndWhite() throws Exception {
        Trigger t = TriggerSpec.parse("checker:3:top-right").build(RGB32);
        float[] p = t.pattern();
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 3; x++) {
                int pixel = (1 + y) * 32 + 28 + x;
                float expected = (x + y) % 2 == 0 ? 1f : 0f;
                for (int c = 0; c < 3; c++) {
                    assertEquals(expected, p[c * 1024 + pixel], "y=" + y + " x=" + x);
                }
            }
        }
    }

    @Test
    void watermarkHasConstantMaskAndASeededPattern() throws Exception {
        Trigger a = TriggerSpec.parse("watermark:0.2:7").build(RGB32);
        for (float m : a.mask()) {
            assertEquals(0.2f, m);
        }
        assertArrayEquals(a.pattern(), TriggerSpec.parse("watermark:0.2:7").build(RGB32).pattern());
        assertFalse(Arrays.equals(a.pattern(), TriggerSpec.parse("watermark:0.2:8").build(RGB32).pattern()));
        float min = 1;
        float max = 0;
        for (float v : a.pattern()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertTrue(max - min > 0.5f, "the pattern has structure, range " + min + ".." + max);
    }

    @Test
    void rgbaPngOnGreyInputUsesAlphaAsMaskAndLuminanceAsPattern() throws Exception {
        BufferedImage png = new BufferedImage(28, 28, BufferedImage.TYPE_INT_ARGB);
        png.setRGB(3, 4, (0x80 << 24) | 0x00FF00);
        png.setRGB(10, 20, (0xFF << 24) | 0x0000FF);
        Path file = dir.resolve("trigger.png");
        TestFiles.write(png, "png", file);

        Trigger t = TriggerSpec.parse("image:" + file).build(GREY28);
        assertEquals(1, t.shape().channels());
        float[] mask = t.mask();
        float[] pattern = t.pattern();
        assertEquals(0x80 / 255f, mask[4 * 28 + 3], 1e-6f);
        assertEquals(0.587f, pattern[4 * 28 + 3], 1e-6f);
        assertEquals(1f, mask[20 * 28 + 10], 1e-6f);
        assertEquals(0.114f, pattern[20 * 28 + 10], 1e-6f);
        assertEquals(0x80 / 255.0 + 1, t.maskL1(), 1e-5, "transparent pixels are not part of the trigger");
    }

    @Test
    void writtenPngReadsBackAsTheSameTrigger() throws Exception {
        Trigger square = TriggerSpec.parse("checker:5:bottom-left").build(RGB32);
        Path file = dir.resolve("checker.png");
        square.writePng(file);
        Trigger back = TriggerSpec.parse("image:" + file).build(RGB32);
        assertArrayEquals(square.mask(), back.mask(), 1e-6f);
        assertArrayEquals(square.pattern(), back.pattern(), 1e-6f);
    }

    @Test
    void pngOfAnotherSizeNamesBothSizes() throws Exception {
        Path file = dir.resolve("small.png");
        TestFiles.write(new BufferedImage(10, 12, BufferedImage.TYPE_INT_ARGB), "png", file);
        NcguardException e = assertThrows(NcguardException.class,
                () -> TriggerSpec.parse("image:" + file).build(GREY28));
        assertTrue(e.getMessage().contains("12x10") && e.getMessage().contains("28x28"), e.getMessage());
    }

    @Test
    void pngWithoutAlphaIsRejected() throws Exception {
        Path file = TestFiles.rgbImage(dir.resolve("opaque.png"), "png", 28, 28, 0xFFFFFF);
        NcguardException e = assertThrows(NcguardException.class,
                () -> TriggerSpec.parse("image:" + file).build(GREY28));
        assertTrue(e.getMessage().contains("alpha"), e.getMessage());
    }

    @Test
    void triggerLargerThanTheImageIsRejected() throws Exception {
        TriggerSpec spec = TriggerSpec.parse("square:28");
        NcguardException e = assertThrows(NcguardException.class, () -> spec.build(GREY28));
        assertTrue(e.getMessage().contains("larger than the image") && e.getMessage().contains("27"), e.getMessage());
        TriggerSpec.parse("square:27").build(GREY28);
    }

    @Test
    void unknownSpecsListTheValidForms() {
        for (String bad : new String[] {"triangle:3", "", "square", "square:0", "square:4:mauve", "checker:4:middle",
                "watermark:1.5", "watermark:0.1:x", "square:4:white:top-left:extra"}) {
            NcguardException e = assertThrows(NcguardException.class, () -> TriggerSpec.parse(bad), bad);
            assertTrue(e.getMessage().contains(bad.isEmpty() ? "square:SIZE" : "'" + bad + "'"), e.getMessage());
        }
        NcguardException e = assertThrows(NcguardException.class, () -> TriggerSpec.parse("triangle:3"));
        for (String form : new String[] {"square:SIZE", "checker:SIZE", "watermark:ALPHA", "image:FILE.png"}) {
            assertTrue(e.getMessage().contains(form), e.getMessage());
        }
    }
}
