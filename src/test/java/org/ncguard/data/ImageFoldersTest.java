package org.ncguard.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.NcguardException;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;

class ImageFoldersTest {

    @TempDir
    Path dir;

    @Test
    void numericFolderNamesAreLabelIndices() throws Exception {
        TestFiles.greyPng(dir.resolve("0/a.png"), 4, 3, 0);
        TestFiles.greyPng(dir.resolve("2/b.png"), 4, 3, 50);
        TestFiles.greyPng(dir.resolve("2/c.png"), 4, 3, 100);
        Files.writeString(dir.resolve("2/notes.txt"), "ignored");

        try (ImageSource s = DataSources.open(dir.toString())) {
            assertEquals(3, s.count());
            assertEquals(3, s.labelCount(), "labels 0..2 even though folder 1 is absent");
            assertArrayEquals(new int[] {0, 2, 2}, s.labels());
            assertEquals(new ImageShape(1, 3, 4, Layout.NCHW), s.shape());
            byte[] px = new byte[12];
            s.readBytes(1, px, 0);
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 4; x++) {
                    assertEquals(50 + x + 10 * y, px[y * 4 + x] & 0xFF, "grey values are read exactly");
                }
            }
        }
    }

    @Test
    void namedFoldersAreSortedAndNumbered() throws Exception {
        TestFiles.greyPng(dir.resolve("dog/1.png"), 2, 2, 0);
        TestFiles.greyPng(dir.resolve("cat/1.png"), 2, 2, 0);
        TestFiles.greyPng(dir.resolve("7/1.png"), 2, 2, 0);

        try (ImageSource s = DataSources.open("folder:" + dir)) {
            assertEquals(List.of("7", "cat", "dog"), s.labelNames());
            assertArrayEquals(new int[] {0, 1, 2}, s.labels());
        }
    }

    @Test
    void colourImagesLoadChannelPlanarAndGreyOnesAreReplicated() throws Exception {
        int rgb = 0x20a0f0;
        TestFiles.rgbImage(dir.resolve("a/x.png"), "png", 3, 2, rgb);
        TestFiles.greyPng(dir.resolve("b/y.png"), 3, 2, 7);

        try (ImageSource s = DataSources.open(dir.toString())) {
            assertEquals(new ImageShape(3, 2, 3, Layout.NCHW), s.shape());
            float[] colour = s.get(0).pixels();
            for (int p = 0; p < 6; p++) {
                assertEquals(0x20 / 255f, colour[p], 1e-6f);
                assertEquals(0xa0 / 255f, colour[6 + p], 1e-6f);
                assertEquals(0xf0 / 255f, colour[12 + p], 1e-6f);
            }
            float[] grey = s.get(1).pixels();
            for (int c = 0; c < 3; c++) {
                assertEquals((7 + 1 + 10) / 255f, grey[c * 6 + 4], 1e-6f, "pixel (1,1) in channel " + c);
            }
        }
    }

    @Test
    void readsJpeg() throws Exception {
        TestFiles.rgbImage(dir.resolve("0/x.jpg"), "jpg", 8, 8, 0x808080);
        try (ImageSource s = DataSources.open(dir.toString())) {
            assertEquals(8, s.shape().height());
            float v = s.get(0).pixels()[10];
            assertEquals(128 / 255f, v, 0.03f, "JPEG is lossy but a flat grey stays close");
        }
    }

    @Test
    void unreadableImageNamesTheFile() throws Exception {
        TestFiles.greyPng(dir.resolve("0/good.png"), 2, 2, 0);
        Path bad = dir.resolve("1/broken.png");
        Files.createDirectories(bad.getParent());
        Files.write(bad, new byte[] {1, 2, 3, 4, 5});
        NcguardException e = assertThrows(NcguardException.class, () -> DataSources.open(dir.toString()));
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
    }

    @Test
    void imagesOfDifferentSizesNameOneOfEach() throws Exception {
        Path small = TestFiles.greyPng(dir.resolve("0/small.png"), 2, 2, 0);
        Path large = TestFiles.greyPng(dir.resolve("1/large.png"), 5, 4, 0);
        NcguardException e = assertThrows(NcguardException.class, () -> DataSources.open(dir.toString()));
        assertTrue(e.getMessage().contains(small.toString()) && e.getMessage().contains(large.toString()),
                e.getMessage());
    }

    @Test
    void folderWithoutClassFoldersIsRejected() throws Exception {
        TestFiles.greyPng(dir.resolve("loose.png"), 2, 2, 0);
        NcguardException e = assertThrows(NcguardException.class, () -> DataSources.open(dir.toString()));
        assertTrue(e.getMessage().contains("sub-folder"), e.getMessage());
    }
}
