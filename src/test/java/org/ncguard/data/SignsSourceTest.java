package org.ncguard.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SignsSourceTest {

    private static final int CLASSES = 43;

    private static byte[] bytes(ImageSource s, int i) {
        byte[] b = new byte[s.shape().size()];
        s.readBytes(i, b, 0);
        return b;
    }

    @Test
    void imageDependsOnlyOnSeedSplitAndIndex() {
        SignsSource a = new SignsSource(3, SignsSource.Split.TRAIN, 500);
        SignsSource b = new SignsSource(3, SignsSource.Split.TRAIN, 100);
        // Read in a different order, and in parallel: random access must give the same images.
        byte[][] parallel = new byte[100][];
        IntStream.range(0, 100).parallel().forEach(i -> parallel[99 - i] = bytes(a, 99 - i));
        for (int i = 99; i >= 0; i--) {
            assertArrayEquals(bytes(b, i), parallel[i], "image " + i);
        }
        assertFalse(Arrays.equals(bytes(a, 0), bytes(a, 43)), "two images of one class differ");
        SignsSource other = new SignsSource(4, SignsSource.Split.TRAIN, 100);
        assertFalse(Arrays.equals(bytes(a, 7), bytes(other, 7)), "another seed gives other images");
    }

    @Test
    void trainAndTestSplitsShareNoImage() {
        SignsSource train = new SignsSource(1, SignsSource.Split.TRAIN, 2 * CLASSES);
        SignsSource test = new SignsSource(1, SignsSource.Split.TEST, 2 * CLASSES);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < train.count(); i++) {
            seen.add(Arrays.toString(bytes(train, i)));
        }
        for (int i = 0; i < test.count(); i++) {
            assertFalse(seen.contains(Arrays.toString(bytes(test, i))), "test image " + i + " is also in train");
        }
        // Seeds 2s+1 (test) and 2s'+0 (train) never coincide, whatever s and s'.
        SignsSource trainNext = new SignsSource(2, SignsSource.Split.TRAIN, 10);
        assertFalse(Arrays.equals(bytes(test, 3), bytes(trainNext, 3)));
    }

    @Test
    void fortyThreeBalancedClassesWithNames() {
        SignsSource s = new SignsSource(1, SignsSource.Split.TRAIN, 10 * CLASSES + 5);
        assertEquals(CLASSES, s.labelCount());
        assertEquals(CLASSES, Set.copyOf(s.labelNames()).size(), "class names are distinct");
        Map<Integer, Integer> counts = new HashMap<>();
        for (int label : s.labels()) {
            counts.merge(label, 1, Integer::sum);
        }
        assertEquals(CLASSES, counts.size());
        int min = counts.values().stream().min(Integer::compare).orElseThrow();
        int max = counts.values().stream().max(Integer::compare).orElseThrow();
        assertTrue(max - min <= 1, "balanced: " + counts);
    }

    @Test
    void manyClassesShareOutlineAndColoursAndDifferOnlyInTheirGlyph() {
        Map<List<Object>, Integer> groups = new HashMap<>();
        for (SignCatalog.SignClass c : SignCatalog.CLASSES) {
            groups.merge(List.of(c.outline(), c.face(), c.border()), 1, Integer::sum);
        }
        int largest = groups.values().stream().max(Integer::compare).orElseThrow();
        assertTrue(largest >= 10, "largest group sharing outline and colours: " + largest);
    }

    @Test
    void pixelsUseTheWholeRangeAndVary() {
        SignsSource s = new SignsSource(1, SignsSource.Split.TRAIN, CLASSES);
        int[] histogram = new int[256];
        for (int i = 0; i < s.count(); i++) {
            for (byte v : bytes(s, i)) {
                histogram[v & 0xFF]++;
            }
        }
        long used = Arrays.stream(histogram).filter(h -> h > 0).count();
        assertTrue(used > 200, "distinct byte values used: " + used);
    }

    /**
     * A nearest-class-mean classifier on raw pixels should do clearly better than chance (the classes are
     * learnable) but far from perfectly (nuisance and shared outlines make it a real task); on mean colour
     * alone it should stay weak.
     */
    @Test
    void notTriviallySeparable() {
        int perClassTrain = 100;
        int perClassTest = 20;
        SignsSource train = new SignsSource(1, SignsSource.Split.TRAIN, perClassTrain * CLASSES);
        SignsSource test = new SignsSource(1, SignsSource.Split.TEST, perClassTest * CLASSES);
        int d = train.shape().size();
        int plane = d / 3;
        double[][] means = new double[CLASSES][d];
        double[][] colourMeans = new double[CLASSES][3];
        float[] x = new float[d];
        for (int i = 0; i < train.count(); i++) {
            train.read(i, x, 0);
            int label = train.label(i);
            for (int j = 0; j < d; j++) {
                means[label][j] += x[j] / perClassTrain;
                colourMeans[label][j / plane] += x[j] / perClassTrain / plane;
            }
        }
        int pixelHits = 0;
        int colourHits = 0;
        for (int i = 0; i < test.count(); i++) {
            test.read(i, x, 0);
            double[] colour = new double[3];
            for (int j = 0; j < d; j++) {
                colour[j / plane] += x[j] / plane;
            }
            pixelHits += nearest(x, means) == test.label(i) ? 1 : 0;
            colourHits += nearest(colour, colourMeans) == test.label(i) ? 1 : 0;
        }
        double chance = 1.0 / CLASSES;
        double pixelAccuracy = pixelHits / (double) test.count();
        double colourAccuracy = colourHits / (double) test.count();
        String report = String.format("nearest class mean: raw pixels %.3f, mean colour %.3f, chance %.3f",
                pixelAccuracy, colourAccuracy, chance);
        System.out.println(report);
        assertTrue(pixelAccuracy > 3 * chance, report);
        assertTrue(pixelAccuracy < 0.9, report);
        assertTrue(colourAccuracy < 0.3, report);
    }

    private static int nearest(float[] x, double[][] means) {
        double[] xd = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            xd[j] = x[j];
        }
        return nearest(xd, means);
    }

    private static int nearest(double[] x, double[][] means) {
        int best = -1;
        double bestDistance = Double.MAX_VALUE;
        for (int k = 0; k < means.length; k++) {
            double dist = 0;
            for (int j = 0; j < x.length; j++) {
                double e = x[j] - means[k][j];
                dist += e * e;
            }
            if (dist < bestDistance) {
                bestDistance = dist;
                best = k;
            }
        }
        return best;
    }

    @Test
    void closedSourceFailsLoudly() {
        SignsSource s = new SignsSource(1, SignsSource.Split.TRAIN, 5);
        s.close();
        assertThrows(IllegalStateException.class, () -> s.get(0));
    }
}
