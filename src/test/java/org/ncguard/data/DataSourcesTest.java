package org.ncguard.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.NcguardException;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;

class DataSourcesTest {

    private static final Path INSTALLED = Path.of(DataSources.DEFAULT_DATASETS);

    @TempDir
    Path dir;

    @Test
    void loadsInstalledFashionMnist() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(INSTALLED.resolve("fashion-mnist")),
                "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
        try (ImageSource train = DataSources.open("builtin:fashion-mnist", INSTALLED)) {
            assertEquals(60_000, train.count());
            assertEquals(new ImageShape(1, 28, 28, Layout.NCHW), train.shape());
            assertEquals(10, train.labelCount());
            assertEquals("Ankle boot", train.labelNames().get(9));
            int[] perClass = new int[10];
            for (int label : train.labels()) {
                perClass[label]++;
            }
            for (int c = 0; c < 10; c++) {
                assertEquals(6_000, perClass[c], "Fashion-MNIST's train split has 6,000 images per class");
            }
            float[] first = train.get(0).pixels();
            float max = 0;
            for (float v : first) {
                assertTrue(v >= 0 && v <= 1);
                max = Math.max(max, v);
            }
            assertTrue(max > 0.5f, "an image is not blank");
        }
        try (ImageSource test = DataSources.open("builtin:fashion-mnist:test", INSTALLED)) {
            assertEquals(10_000, test.count());
        }
    }

    @Test
    void missingFashionMnistSaysHowToInstallIt() {
        NcguardException e = assertThrows(NcguardException.class,
                () -> DataSources.open("builtin:fashion-mnist:test", dir));
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.resolve("fashion-mnist").toString()), e.getMessage());
    }

    @Test
    void datasetsDirectoryComesFromTheSystemProperty() throws Exception {
        Path fm = Files.createDirectories(dir.resolve("fashion-mnist"));
        TestFiles.idx(fm.resolve("t10k-images-idx3-ubyte.gz"), new int[] {2, 28, 28}, new byte[2 * 784], true);
        TestFiles.idx(fm.resolve("t10k-labels-idx1-ubyte.gz"), new int[] {2}, new byte[] {9, 3}, true);
        String before = System.getProperty(DataSources.DATASETS_PROPERTY);
        System.setProperty(DataSources.DATASETS_PROPERTY, dir.toString());
        try (ImageSource s = DataSources.open("builtin:fashion-mnist:test")) {
            assertEquals(2, s.count());
            assertEquals(9, s.label(0));
        } finally {
            if (before == null) {
                System.clearProperty(DataSources.DATASETS_PROPERTY);
            } else {
                System.setProperty(DataSources.DATASETS_PROPERTY, before);
            }
        }
    }

    @Test
    void colourFashionMnistIsTheGreySetColourisedAndPadded() throws Exception {
        Path fm = Files.createDirectories(dir.resolve("fashion-mnist"));
        byte[] grey = new byte[2 * 784];
        grey[0] = (byte) 255; // image 0, top-left pixel white: the foreground colour
        TestFiles.idx(fm.resolve("t10k-images-idx3-ubyte.gz"), new int[] {2, 28, 28}, grey, true);
        TestFiles.idx(fm.resolve("t10k-labels-idx1-ubyte.gz"), new int[] {2}, new byte[] {9, 3}, true);
        try (ImageSource s = DataSources.open("builtin:colour-fashion-mnist:test?n=2", dir);
                ImageSource again = DataSources.open("builtin:colour-fashion-mnist:test", dir)) {
            assertEquals(new ImageShape(3, 32, 32, Layout.NCHW), s.shape());
            assertEquals(2, s.count());
            assertEquals(3, s.label(1));
            assertEquals("builtin:colour-fashion-mnist:test?n=2", s.name());
            float[] a = s.get(0).pixels();
            assertTrue(java.util.Arrays.equals(a, again.get(0).pixels()), "the same colours every time");
            for (int c = 0; c < 3; c++) {
                float background = a[c * 1024];
                float foreground = a[c * 1024 + 2 * 32 + 2];
                assertTrue(background <= 0.3f + 1e-6 && foreground >= 0.35f - 1e-6, background + " " + foreground);
                assertEquals(background, a[c * 1024 + 31 * 32 + 31], 0f, "border and black pixels are background");
            }
            assertTrue(!java.util.Arrays.equals(a, s.get(1).pixels()), "each image has its own colours");
        }
    }

    @Test
    void signsSpecTakesSplitCountAndSeed() throws Exception {
        try (ImageSource s = DataSources.open("builtin:signs:test?n=86&seed=7")) {
            assertEquals(86, s.count());
            assertEquals(43, s.labelCount());
            assertEquals(new ImageShape(3, 32, 32, Layout.NCHW), s.shape());
            byte[] a = new byte[s.shape().size()];
            byte[] b = new byte[s.shape().size()];
            s.readBytes(5, a, 0);
            new SignsSource(7, SignsSource.Split.TEST, 10).readBytes(5, b, 0);
            assertTrue(java.util.Arrays.equals(a, b), "the spec means seed 7, test split");
        }
        try (ImageSource s = DataSources.open("builtin:signs")) {
            assertEquals(DataSources.SIGNS_TRAIN_COUNT, s.count());
        }
    }

    @Test
    void badSpecsSayWhatWouldWork() {
        assertMessage("builtin:mnist", "builtin:fashion-mnist, builtin:colour-fashion-mnist, builtin:signs or "
                + "builtin:glyph-codes");
        assertMessage("builtin:signs:validation", "train or test");
        assertMessage("builtin:signs?colour=red", "unknown parameter 'colour'");
        assertMessage("builtin:fashion-mnist?seed=3", "unknown parameter 'seed'");
        assertMessage("builtin:signs?n=-5", "positive integer");
        assertMessage(dir.resolve("nothing-here").toString(), "not found");
        assertMessage("", "builtin:signs");
    }

    private void assertMessage(String spec, String expected) {
        NcguardException e = assertThrows(NcguardException.class, () -> DataSources.open(spec, dir), spec);
        assertTrue(e.getMessage().contains(expected), spec + " -> " + e.getMessage());
    }
}
