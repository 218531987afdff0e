package org.ncguard.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.ncguard.NcguardException;

class GlyphCodesSourceTest {

    private static byte[] bytes(ImageSource s, int i) {
        byte[] b = new byte[s.shape().size()];
        s.readBytes(i, b, 0);
        return b;
    }

    @Test
    void manyBalancedLabelsFromTheSpec() throws Exception {
        try (ImageSource s = DataSources.open("builtin:glyph-codes?labels=600&n=1800")) {
            assertEquals(600, s.labelCount());
            assertEquals(1800, s.count());
            assertEquals("1x28x28", s.shape().channels() + "x" + s.shape().height() + "x" + s.shape().width());
            int[] perLabel = new int[600];
            for (int label : s.labels()) {
                perLabel[label]++;
            }
            assertTrue(Arrays.stream(perLabel).allMatch(n -> n == 3), "every label three times");
        }
    }

    @Test
    void imagesDependOnSeedAndSplitOnly() throws Exception {
        GlyphCodesSource a = new GlyphCodesSource(50, 200, false, 1);
        GlyphCodesSource b = new GlyphCodesSource(50, 100, false, 1);
        assertArrayEquals(bytes(a, 42), bytes(b, 42));
        assertFalse(Arrays.equals(bytes(a, 3), bytes(a, 53)), "two images of one label differ");
        GlyphCodesSource test = new GlyphCodesSource(50, 100, true, 1);
        assertFalse(Arrays.equals(bytes(a, 3), bytes(test, 3)), "the test split has other images");
    }

    @Test
    void twoLabelsLookApartOnAverage() {
        GlyphCodesSource s = new GlyphCodesSource(20, 20 * 30, false, 1);
        double within = 0;
        double between = 0;
        for (int i = 0; i < 20; i++) {
            within += distance(bytes(s, i), bytes(s, i + 20));
            between += distance(bytes(s, i), bytes(s, (i + 1) % 20));
        }
        assertTrue(between > 1.2 * within, "between " + between + " within " + within);
    }

    @Test
    void testSplitKeepsTheLabelCount() throws Exception {
        assertEquals("builtin:glyph-codes:test?labels=500&seed=2",
                DataSources.testSplitOf("builtin:glyph-codes?labels=500&n=1000&seed=2").orElseThrow());
        NcguardException e = org.junit.jupiter.api.Assertions.assertThrows(NcguardException.class,
                () -> DataSources.open("builtin:glyph-codes?n=10"));
        assertTrue(e.getMessage().contains("labels=N"), e.getMessage());
    }

    private static double distance(byte[] a, byte[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
        }
        return d;
    }
}
