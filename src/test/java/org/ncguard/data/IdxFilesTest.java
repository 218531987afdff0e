package org.ncguard.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ncguard.NcguardException;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;

class IdxFilesTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void reads3DimImagesWithSiblingLabels(boolean gzip) throws Exception {
        String gz = gzip ? ".gz" : "";
        byte[] pixels = TestFiles.counting(5 * 3 * 4);
        Path images = TestFiles.idx(dir.resolve("train-images-idx3-ubyte" + gz), new int[] {5, 3, 4}, pixels, gzip);
        TestFiles.idx(dir.resolve("train-labels-idx1-ubyte" + gz), new int[] {5}, new byte[] {4, 0, 2, 2, 1}, gzip);

        try (ImageSource s = DataSources.open(images.toString())) {
            assertEquals(5, s.count());
            assertEquals(new ImageShape(1, 3, 4, Layout.NCHW), s.shape());
            assertEquals(5, s.labelCount());
            assertArrayEquals(new int[] {4, 0, 2, 2, 1}, s.labels());
            LabeledImage third = s.get(2);
            assertEquals(2, third.label());
            for (int i = 0; i < 12; i++) {
                assertEquals((pixels[2 * 12 + i] & 0xFF) / 255f, third.pixels()[i], 1e-7f);
            }
        }
    }

    @Test
    void reads4DimImagesAsChannelPlanar() throws Exception {
        int n = 2;
        int h = 2;
        int w = 3;
        byte[] hwc = TestFiles.counting(n * h * w * 3);
        Path images = TestFiles.idx(dir.resolve("x-images-idx3-ubyte"), new int[] {n, h, w, 3}, hwc, false);
        TestFiles.idx(dir.resolve("x-labels-idx1-ubyte"), new int[] {n}, new byte[] {1, 0}, false);

        try (ImageSource s = DataSources.open(images.toString())) {
            assertEquals(new ImageShape(3, h, w, Layout.NCHW), s.shape());
            byte[] chw = new byte[s.shape().size()];
            s.readBytes(1, chw, 0);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        byte stored = hwc[h * w * 3 + (y * w + x) * 3 + c];
                        assertEquals(stored, chw[s.shape().index(c, y, x)], "c=" + c + " y=" + y + " x=" + x);
                    }
                }
            }
            Batch b = s.batch(0, 2);
            assertEquals((chw[5] & 0xFF) / 255f, b.pixels()[s.shape().size() + 5], 1e-7f);
        }
    }

    @Test
    void findsUngzippedLabelsBesideGzippedImages() throws Exception {
        Path images = TestFiles.idx(dir.resolve("t10k-images-idx3-ubyte.gz"), new int[] {1, 2, 2}, new byte[4], true);
        Path labels = TestFiles.idx(dir.resolve("t10k-labels-idx1-ubyte"), new int[] {1}, new byte[] {3}, false);
        assertEquals(labels, IdxFiles.labelsFor(images));
        try (ImageSource s = DataSources.open("idx:" + images)) {
            assertEquals(3, s.label(0));
        }
    }

    @Test
    void missingLabelsNamesThePathLookedFor() throws Exception {
        Path images = TestFiles.idx(dir.resolve("a-images-idx3-ubyte"), new int[] {1, 2, 2}, new byte[4], false);
        NcguardException e = assertThrows(NcguardException.class, () -> DataSources.open(images.toString()));
        assertTrue(e.getMessage().contains(dir.resolve("a-labels-idx1-ubyte").toString()), e.getMessage());
    }

    @Test
    void countMismatchNamesBothCounts() throws Exception {
        Path images = TestFiles.idx(dir.resolve("a-images-idx3-ubyte"), new int[] {3, 2, 2}, new byte[12], false);
        TestFiles.idx(dir.resolve("a-labels-idx1-ubyte"), new int[] {7}, new byte[7], false);
        NcguardException e = assertThrows(NcguardException.class, () -> DataSources.open(images.toString()));
        assertTrue(e.getMessage().contains("3 images") && e.getMessage().contains("7 labels"), e.getMessage());
    }

    @Test
    void badMagicIsRejected() throws Exception {
        Path images = dir.resolve("a-images-idx3-ubyte");
        Files.write(images, new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0});
        TestFiles.idx(dir.resolve("a-labels-idx1-ubyte"), new int[] {1}, new byte[1], false);
        NcguardException e = assertThrows(NcguardException.class, () -> DataSources.open(images.toString()));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void truncatedFileIsRejected(boolean gzip) throws Exception {
        // The header promises 4 images of 3x3 = 36 bytes; only 20 follow.
        Path images = dir.resolve("a-images-idx3-ubyte" + (gzip ? ".gz" : ""));
        TestFiles.idx(images, new int[] {4, 3, 3}, new byte[20], gzip);
        TestFiles.idx(dir.resolve("a-labels-idx1-ubyte"), new int[] {4}, new byte[4], false);
        NcguardException e = assertThrows(NcguardException.class, () -> DataSources.open(images.toString()));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("36"), e.getMessage());
    }

    @Test
    void labelsWithTheWrongDimensionCountAreRejected() throws Exception {
        Path images = TestFiles.idx(dir.resolve("a-images-idx3-ubyte"), new int[] {2, 2, 2}, new byte[8], false);
        TestFiles.idx(dir.resolve("a-labels-idx1-ubyte"), new int[] {2, 1}, new byte[2], false);
        NcguardException e = assertThrows(NcguardException.class, () -> DataSources.open(images.toString()));
        assertTrue(e.getMessage().contains("dimensions"), e.getMessage());
    }

    @Test
    void headKeepsTheFirstImages() throws Exception {
        byte[] pixels = TestFiles.counting(6 * 4);
        Path images = TestFiles.idx(dir.resolve("a-images-idx3-ubyte"), new int[] {6, 2, 2}, pixels, false);
        TestFiles.idx(dir.resolve("a-labels-idx1-ubyte"), new int[] {6}, new byte[] {0, 1, 2, 3, 4, 5}, false);
        try (ImageSource s = DataSources.open(images + "?n=4")) {
            assertEquals(4, s.count());
            assertArrayEquals(new int[] {0, 1, 2, 3}, s.labels());
            assertThrows(IndexOutOfBoundsException.class, () -> s.label(4));
            byte[] b = new byte[4];
            s.readBytes(3, b, 0);
            assertEquals(pixels[12], b[0]);
        }
        NcguardException e = assertThrows(NcguardException.class, () -> DataSources.open(images + "?n=7"));
        assertTrue(e.getMessage().contains("6") && e.getMessage().contains("7"), e.getMessage());
    }
}
