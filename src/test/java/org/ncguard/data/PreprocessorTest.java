package org.ncguard.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ncguard.NcguardException;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;

class PreprocessorTest {

    private static final ImageShape RGB = new ImageShape(3, 2, 3, Layout.NCHW);
    private static final ImageShape GREY = new ImageShape(1, 2, 3, Layout.NCHW);

    /** Two canonical RGB images whose values encode (image, channel, y, x). */
    private static float[] twoRgbImages() {
        float[] px = new float[2 * RGB.size()];
        for (int i = 0; i < px.length; i++) {
            px[i] = i / (float) px.length;
        }
        return px;
    }

    private static float canonical(float[] px, ImageShape data, int n, int c, int y, int x) {
        return px[n * data.size() + data.index(c, y, x)];
    }

    @Test
    void writesNchwAndNhwcInTheirOwnIndexOrder() throws Exception {
        float[] px = twoRgbImages();
        for (Layout layout : Layout.values()) {
            ImageShape target = new ImageShape(3, 2, 3, layout);
            float[] out = new Preprocessor(target).apply(px, 2, RGB);
            assertEquals(px.length, out.length);
            for (int n = 0; n < 2; n++) {
                for (int c = 0; c < 3; c++) {
                    for (int y = 0; y < 2; y++) {
                        for (int x = 0; x < 3; x++) {
                            assertEquals(canonical(px, RGB, n, c, y, x), out[n * target.size() + target.index(c, y, x)],
                                    1e-6f, layout + " n=" + n + " c=" + c + " y=" + y + " x=" + x);
                        }
                    }
                }
            }
        }
        float[] nhwc = new Preprocessor(new ImageShape(3, 2, 3, Layout.NHWC)).apply(px, 2, RGB);
        assertEquals(px[RGB.size()], nhwc[18], 1e-6f, "image 1 starts after image 0's 18 values");
        assertEquals(px[6], nhwc[1], 1e-6f, "NHWC puts channel 1 of pixel 0 next to its channel 0");
        assertEquals(px[1], nhwc[3], 1e-6f, "and pixel 1 after pixel 0's three channels");
    }

    @Test
    void replicatesGreyToRgbAndTakesLuminanceFromRgbToGrey() throws Exception {
        float[] grey = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f};
        float[] rgb = new Preprocessor(new ImageShape(3, 2, 3, Layout.NHWC)).apply(grey, 1, GREY);
        for (int p = 0; p < 6; p++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(grey[p], rgb[p * 3 + c], 1e-6f);
            }
        }

        float[] colour = twoRgbImages();
        float[] lum = new Preprocessor(new ImageShape(1, 2, 3, Layout.NCHW)).apply(colour, 2, RGB);
        assertEquals(12, lum.length);
        for (int n = 0; n < 2; n++) {
            for (int p = 0; p < 6; p++) {
                int y = p / 3;
                int x = p % 3;
                float expected = 0.299f * canonical(colour, RGB, n, 0, y, x)
                        + 0.587f * canonical(colour, RGB, n, 1, y, x)
                        + 0.114f * canonical(colour, RGB, n, 2, y, x);
                assertEquals(expected, lum[n * 6 + p], 1e-6f);
            }
        }
    }

    @Test
    void scalesBytesThenNormalisesPerChannel() throws Exception {
        byte[] raw = new byte[RGB.size()];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) (i * 13);
        }
        float scale = 1f / 255f;
        float[] mean = {0.485f, 0.456f, 0.406f};
        float[] std = {0.229f, 0.224f, 0.225f};
        Preprocessor pre = new Preprocessor(RGB, scale, mean, std);
        float[] out = pre.applyBytes(raw, 1, RGB);
        float[] canonical = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            int c = i / 6;
            assertEquals(((raw[i] & 0xFF) * scale - mean[c]) / std[c], out[i], 1e-5f, "value " + i);
            canonical[i] = (raw[i] & 0xFF) / 255f;
        }
        assertArrayEquals(out, pre.apply(canonical, 1, RGB), 1e-5f, "bytes and canonical pixels agree");
        for (int i = 0; i < raw.length; i++) {
            int c = i / 6;
            assertEquals(out[i], pre.gain(c) * canonical[i] + pre.offset(c), 1e-5f, "gain/offset describe the map");
        }
    }

    @Test
    void scaleOtherThanOneOver255() throws Exception {
        Preprocessor pre = new Preprocessor(GREY, 1f, new float[] {127.5f}, new float[] {127.5f});
        float[] out = pre.applyBytes(new byte[] {0, (byte) 255, 0, 0, 0, 0}, 1, GREY);
        assertEquals(-1f, out[0], 1e-6f);
        assertEquals(1f, out[1], 1e-6f);
        assertEquals(2f, pre.gain(0), 1e-6f);
    }

    @Test
    void channelMatrixMatchesTheConversion() {
        Preprocessor toGrey = new Preprocessor(new ImageShape(1, 2, 3, Layout.NCHW));
        assertArrayEquals(Preprocessor.LUMINANCE, toGrey.channelMatrix(3)[0]);
        float[][] toRgb = new Preprocessor(RGB).channelMatrix(1);
        assertEquals(3, toRgb.length);
        assertEquals(1f, toRgb[2][0]);
        float[][] same = new Preprocessor(RGB).channelMatrix(3);
        assertEquals(1f, same[1][1]);
        assertEquals(0f, same[1][2]);
    }

    @Test
    void sizeMismatchNamesBothSizes() {
        Preprocessor pre = new Preprocessor(new ImageShape(1, 28, 28, Layout.NCHW));
        ImageShape data = new ImageShape(3, 32, 32, Layout.NCHW);
        NcguardException e = assertThrows(NcguardException.class,
                () -> pre.apply(new float[data.size()], 1, data));
        assertTrue(e.getMessage().contains("32x32") && e.getMessage().contains("28x28"), e.getMessage());
    }

    @Test
    void rejectsBadNormalisation() {
        assertThrows(IllegalArgumentException.class, () -> new Preprocessor(RGB, 1f / 255, null, new float[] {0f}));
        assertThrows(IllegalArgumentException.class, () -> new Preprocessor(RGB, 1f / 255, new float[2], null));
        assertThrows(IllegalArgumentException.class, () -> new Preprocessor(RGB, 0f, null, null));
    }
}
