package org.ncguard.reverse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class AnomalyIndexTest {

    private static final double EPS = 1e-9;

    @Test
    void medianOfOddCountIsTheMiddleValue() {
        // sorted: 2 10 11 12 13 -> 11
        assertEquals(11.0, AnomalyIndex.median(new double[] {10, 12, 11, 13, 2}), EPS);
    }

    @Test
    void medianOfEvenCountIsTheMeanOfTheTwoMiddleValues() {
        // sorted: 4 6 8 20 -> (6 + 8) / 2 = 7
        assertEquals(7.0, AnomalyIndex.median(new double[] {4, 8, 6, 20}), EPS);
    }

    @Test
    void medianLeavesItsInputUnsorted() {
        double[] values = {3, 1, 2};
        AnomalyIndex.median(values);
        assertEquals(List.of(3.0, 1.0, 2.0), Arrays.stream(values).boxed().toList());
    }

    @Test
    void flagsTheOneSmallNormOfFive() {
        // L1 = 10 12 11 13 2; median 11.
        // |L1 - 11| = 1 1 0 2 9; sorted 0 1 1 2 9 -> median 1; MAD = 1.4826 * 1 = 1.4826.
        // indices: 1/1.4826 = 0.67449, 0.67449, 0, 2/1.4826 = 1.34898, 9/1.4826 = 6.07042.
        // Only label 4 (L1 2 < 11, index 6.07 > 2) is flagged.
        AnomalyIndex.Result r = new AnomalyIndex().apply(List.of(10.0, 12.0, 11.0, 13.0, 2.0));
        assertEquals(11.0, r.median(), EPS);
        assertEquals(1.4826, r.mad(), EPS);
        assertEquals(1.4826, r.scale(), EPS);
        assertEquals(0.674490759, r.indices().get(0), 1e-8);
        assertEquals(0.674490759, r.indices().get(1), 1e-8);
        assertEquals(0.0, r.indices().get(2), EPS);
        assertEquals(1.348981519, r.indices().get(3), 1e-8);
        assertEquals(6.070416835, r.indices().get(4), 1e-8);
        assertEquals(List.of(4), r.flaggedPositions());
        assertEquals(6.070416835, r.maxIndex(), 1e-8);
        // flag below 11 - 2 * 1.4826 = 8.0348
        assertEquals(8.0348, r.flagBelowL1(), EPS);
        assertTrue(r.notes().isEmpty(), r.notes().toString());
    }

    @Test
    void largeNormAboveTheMedianIsNotFlagged() {
        // L1 = 4 8 6 20; median (6 + 8) / 2 = 7.
        // |L1 - 7| = 3 1 1 13; sorted 1 1 3 13 -> median (1 + 3) / 2 = 2; MAD = 2.9652.
        // index of 20: 13 / 2.9652 = 4.38419 > 2, but 20 > 7: not flagged. Index of 4: 3 / 2.9652 = 1.01174.
        AnomalyIndex.Result r = new AnomalyIndex().apply(List.of(4.0, 8.0, 6.0, 20.0));
        assertEquals(7.0, r.median(), EPS);
        assertEquals(2.9652, r.mad(), EPS);
        assertEquals(4.384189936, r.indices().get(3), 1e-8);
        assertEquals(1.011736139, r.indices().get(0), 1e-8);
        assertTrue(r.flaggedPositions().isEmpty());
        assertFalse(r.flagged(3));
    }

    @Test
    void labelsThatDidNotConvergeTakeNoPartAndAreNeverFlagged() {
        // Same converged values as flagsTheOneSmallNormOfFive, with two nulls mixed in: same statistics.
        AnomalyIndex.Result r = new AnomalyIndex().apply(Arrays.asList(null, 10.0, 12.0, 11.0, null, 13.0, 2.0));
        assertEquals(11.0, r.median(), EPS);
        assertEquals(1.4826, r.mad(), EPS);
        assertNull(r.indices().get(0));
        assertNull(r.indices().get(4));
        assertFalse(r.flagged(0));
        assertEquals(List.of(6), r.flaggedPositions());
        assertEquals(5, r.converged());
    }

    @Test
    void thresholdIsAParameter() {
        // Index of L1 10 in {10 12 11 13 2} is 0.67449 (see above): flagged at threshold 0.5, not at 2.
        List<Double> norms = List.of(10.0, 12.0, 11.0, 13.0, 2.0);
        assertEquals(List.of(0, 4), new AnomalyIndex(0.5).apply(norms).flaggedPositions());
        assertEquals(List.of(4), new AnomalyIndex(AnomalyIndex.DEFAULT_THRESHOLD).apply(norms).flaggedPositions());
        // Above 6.07 nothing is flagged; the limit moves with it: 11 - 7 * 1.4826 = 0.6218,
        // and 11 - 8 * 1.4826 = -0.8608 < 0 -> no limit at all.
        AnomalyIndex.Result strict = new AnomalyIndex(7).apply(norms);
        assertTrue(strict.flaggedPositions().isEmpty());
        assertEquals(0.6218, strict.flagBelowL1(), 1e-9);
        assertNull(new AnomalyIndex(8).apply(norms).flagBelowL1());
    }

    @Test
    void anIndexEqualToTheThresholdIsNotFlagged() {
        List<Double> norms = List.of(10.0, 12.0, 11.0, 13.0, 2.0);
        double index = new AnomalyIndex().apply(norms).indices().get(4);
        assertFalse(new AnomalyIndex(index).apply(norms).flagged(4), "the test is index > threshold, not >=");
        assertTrue(new AnomalyIndex(Math.nextDown(index)).apply(norms).flagged(4));
    }

    @Test
    void allEqualNormsGiveIndexZeroAndNoFlag() {
        AnomalyIndex.Result r = new AnomalyIndex().apply(List.of(5.0, 5.0, 5.0, 5.0));
        assertEquals(5.0, r.median(), EPS);
        assertEquals(0.0, r.mad(), EPS);
        assertEquals(0.0, r.scale(), EPS);
        r.indices().forEach(i -> assertEquals(0.0, i, 0.0));
        assertTrue(r.flaggedPositions().isEmpty());
        assertNull(r.flagBelowL1());
        assertEquals(1, r.notes().size());
    }

    @Test
    void zeroMadFallsBackToTheMeanAbsoluteDeviation() {
        // L1 = 10 10 10 10 2; median 10; |L1 - 10| = 0 0 0 0 8 -> MAD = 0.
        // Fallback: mean absolute deviation 8 / 5 = 1.6, times sqrt(pi/2) = 1.2533141 -> 2.0053026.
        // Index of 2: 8 / 2.0053026 = 3.989423 (flagged); the others stay 0.
        AnomalyIndex.Result r = new AnomalyIndex().apply(List.of(10.0, 10.0, 10.0, 10.0, 2.0));
        assertEquals(0.0, r.mad(), EPS);
        assertEquals(2.005302620, r.scale(), 1e-8);
        assertEquals(3.989422804, r.indices().get(4), 1e-8);
        assertEquals(0.0, r.indices().get(0), 0.0);
        assertEquals(List.of(4), r.flaggedPositions());
        r.indices().forEach(i -> assertTrue(Double.isFinite(i)));
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("mean absolute deviation")), r.notes().toString());
    }

    @Test
    void aSingleSmallerNormAmongIdenticalOnesIsFlaggedAsDocumented() {
        // L1 = 10 10 9.99; median 10; deviations 0 0 0.01 -> MAD 0. Mean absolute deviation 0.01 / 3;
        // index = 0.01 / (sqrt(pi/2) * 0.01 / 3) = 3 / sqrt(pi/2) = 2.393654 > 2, whatever the size of the gap.
        AnomalyIndex.Result r = new AnomalyIndex().apply(List.of(10.0, 10.0, 9.99));
        assertEquals(3 / Math.sqrt(Math.PI / 2), r.indices().get(2), 1e-9);
        assertEquals(List.of(2), r.flaggedPositions());
    }

    @Test
    void fewerThanThreeConvergedLabelsAreComputedWithANote() {
        // 7 and 3: median 5; deviations 2 2 -> MAD 2.9652; both indices 2 / 2.9652 = 0.67449.
        AnomalyIndex.Result two = new AnomalyIndex().apply(Arrays.asList(7.0, null, 3.0));
        assertEquals(5.0, two.median(), EPS);
        assertEquals(2.9652, two.mad(), EPS);
        assertEquals(0.674490759, two.indices().get(2), 1e-8);
        assertTrue(two.flaggedPositions().isEmpty());
        assertTrue(two.notes().stream().anyMatch(n -> n.contains("Only 2 labels converged")), two.notes().toString());

        AnomalyIndex.Result one = new AnomalyIndex().apply(Arrays.asList(null, 4.0));
        assertEquals(4.0, one.median(), EPS);
        assertEquals(0.0, one.indices().get(1), 0.0);
        assertTrue(one.notes().stream().anyMatch(n -> n.contains("Only 1 label converged")), one.notes().toString());
    }

    @Test
    void noConvergedLabelGivesNoStatistics() {
        AnomalyIndex.Result r = new AnomalyIndex().apply(Arrays.asList(null, null));
        assertNull(r.median());
        assertNull(r.mad());
        assertNull(r.maxIndex());
        assertNull(r.flagBelowL1());
        assertEquals(Arrays.asList(null, null), r.indices());
        assertTrue(r.flaggedPositions().isEmpty());
        assertFalse(r.notes().isEmpty());
    }

    @Test
    void rejectsBadNormsAndThresholds() {
        AnomalyIndex test = new AnomalyIndex();
        assertThrows(IllegalArgumentException.class, () -> test.apply(List.of(1.0, -0.5, 2.0)));
        assertThrows(IllegalArgumentException.class, () -> test.apply(List.of(1.0, Double.NaN)));
        assertThrows(IllegalArgumentException.class, () -> test.apply(List.of(1.0, Double.POSITIVE_INFINITY)));
        assertThrows(IllegalArgumentException.class, () -> new AnomalyIndex(0));
        assertThrows(IllegalArgumentException.class, () -> new AnomalyIndex(Double.NaN));
    }
}
