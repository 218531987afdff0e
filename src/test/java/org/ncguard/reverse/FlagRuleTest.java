package org.ncguard.reverse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlagRuleTest {

    /**
     * Widely spread sizes with one planted label far below the median, as on a PyTorch colour model: label 0 (L1
     * 4.6) is under a fifth of the median (26.4), yet 1.28 MADs below it, because the others spread from 11 to 52.
     */
    static final double[] SPREAD = {4.6, 11, 15, 20, 25, 27.8, 30, 38, 45, 52};

    static List<LabelResult> results(double[] l1, Double... shares) {
        List<LabelResult> results = new ArrayList<>();
        for (int label = 0; label < l1.length; label++) {
            LabelResult r = LabelResult.converged(label, l1[label], 0.99, 30, 1);
            Double share = label < shares.length ? shares[label] : null;
            results.add(share == null ? r : r.withNaturalShare(share));
        }
        return results;
    }

    @Test
    void logIndexSingleOutAPlantedTriggerThatTheLinearIndexMisses() {
        List<Double> l1 = Arrays.stream(SPREAD).boxed().toList();
        AnomalyIndex.Result linear = new AnomalyIndex().apply(l1);
        // median (25 + 27.8) / 2 = 26.4; |deviations| sorted 1.4 1.4 3.6 6.4 11.4 11.6 ...: MAD 1.4826 * 11.5
        assertEquals(26.4, linear.median(), 1e-12);
        assertEquals(21.8 / (1.4826 * 11.5), linear.indices().get(0), 1e-9);
        assertEquals(List.of(), linear.flaggedPositions());

        // On ln L1: median (ln 25 + ln 27.8) / 2; the middle |deviations| are ln(52/26.4)... worked out below.
        double[] logs = Arrays.stream(SPREAD).map(Math::log).toArray();
        double median = (logs[4] + logs[5]) / 2;
        double[] dev = Arrays.stream(logs).map(v -> Math.abs(v - median)).sorted().toArray();
        double mad = 1.4826 * (dev[4] + dev[5]) / 2;
        List<Double> logIndex = FlagRule.logIndices(l1);
        assertEquals((median - logs[0]) / mad, logIndex.get(0), 1e-9);
        assertEquals(2.61, logIndex.get(0), 0.01);
        assertTrue(logIndex.subList(1, 10).stream().allMatch(i -> i < 2), "only the planted label: " + logIndex);

        assertEquals(Map.of(), FlagRule.PAPER.flag(results(SPREAD)));
        FlagRule log = new FlagRule("log2", 0, 2, 0, 2, 0);
        assertEquals(List.of(0), List.copyOf(log.flag(results(SPREAD)).keySet()));
        String why = log.flag(results(SPREAD)).get(0);
        assertTrue(why.startsWith("anomaly index on ln L1 2.6") && why.contains(" > 2"), why);
    }

    @Test
    void naturalFeatureOutliersStayClearAndPlantedOnesStayFlagged() {
        // Two labels far below the rest: label 0 is planted (its stamped images land away from its clean ones),
        // label 1 is a natural feature (trouser-like, 90% of its stamped images among its own clean images).
        double[] l1 = {10, 30, 80, 82, 84, 85, 86, 88, 90, 95};
        FlagRule rule = new FlagRule("log2+natural", 2, 2, 0, 0.5, 0);
        Map<Integer, String> flagged = rule.flag(results(l1, 0.10, 0.90));
        assertEquals(List.of(0), List.copyOf(flagged.keySet()));
        assertTrue(flagged.get(0).contains("natural share 10% < 50%"), flagged.get(0));
        // Not checked yet: flagged, and the reason says so.
        assertTrue(rule.flag(results(l1)).get(1).contains("not run"));
        // A guard keeps a natural-looking trigger flagged while it is under the given fraction of the median.
        FlagRule guarded = new FlagRule("guarded", 2, 2, 0, 0.5, 0.5);
        assertEquals(List.of(0, 1), List.copyOf(guarded.flag(results(l1, 0.10, 0.90)).keySet()));
        // The paper's rule flags both: it has no natural-feature check.
        assertEquals(List.of(0, 1), List.copyOf(FlagRule.PAPER.flag(results(l1, 0.10, 0.90)).keySet()));
    }

    /** A PyTorch colour model (BatchNorm, Softmax) with a 3x3 red patch planted for label 7: a benchmark scan. */
    static final double[] COLOUR_INFECTED = {34.39, 68.67, 54.92, 65.18, 47.06, 52.57, 29.17, 6.64, 14.95, 76.09};
    static final Double[] COLOUR_INFECTED_SHARES = {0.978, null, null, null, 1.0, null, 0.887, 0.974, 0.954};

    /** A clean lab Fashion-MNIST model: its shirt label (6) is 2.02 MADs below the median on ln L1, share 37%. */
    static final double[] CLEAN_SHIRT = {72.3, 52.81, 84.31, 91.75, 83.29, 85.4, 58.62, 137.9, 47.1, 86.87};
    static final Double[] CLEAN_SHIRT_SHARES = {0.816, 0.856, null, null, 0.775, null, 0.373, null, 0.655};

    /** ncguard's rule before the transfer check: the outlier tests, the natural share and the quarter guard. */
    static final FlagRule SHARE_AND_GUARD = new FlagRule("mad2/log2.5+natural+guard0.25", 2, 2.5, 0, 0.5, 0.25);

    @Test
    void aPlantedPatchTheMadTestMissesIsFlaggedEvenWhenItLooksNatural() {
        List<LabelResult> scan = results(COLOUR_INFECTED, COLOUR_INFECTED_SHARES);
        assertEquals(Map.of(), FlagRule.PAPER.flag(scan), "index 1.70: Neural Cleanse calls the model clean");
        Map<Integer, String> flagged = SHARE_AND_GUARD.flag(scan);
        assertEquals(List.of(7), List.copyOf(flagged.keySet()));
        // Its stamped images lie among label 7's own clean images (97%): only its size (0.13 of the median) tells.
        assertTrue(flagged.get(7).startsWith("anomaly index on ln L1 3.9"), flagged.get(7));
        assertTrue(flagged.get(7).endsWith("natural share 97%, but L1 under 0.25 of the median"), flagged.get(7));
        // ncguard's rule flags it too (no transfer was measured on this scan: the guard decides).
        assertEquals(List.of(7), List.copyOf(FlagRule.NCGUARD.flag(scan).keySet()));
    }

    @Test
    void aCleanModelsLooselyClusteredLabelStaysClear() {
        List<LabelResult> scan = results(CLEAN_SHIRT, CLEAN_SHIRT_SHARES);
        assertEquals(List.of(1, 8), List.copyOf(FlagRule.PAPER.flag(scan).keySet()), "the paper's false alarm");
        assertEquals(Map.of(), SHARE_AND_GUARD.flag(scan));
        // On ln L1 at 2 (not 2.5) the shirt, whose clean images mix with other garments' (share 37%), was flagged.
        assertEquals(List.of(6), List.copyOf(new FlagRule("log2", 2, 2, 0, 0.5, 0.25).flag(scan).keySet()));
    }

    /**
     * A lab Fashion-MNIST model with a 3x3 checkerboard planted for label 2 (a scan measured here, before the transfer
     * check): its stamped images mix with the label's clean ones (share 59%) and its mask is 0.28 of the median, over
     * the quarter guard, so the share and the guard alone clear it.
     */
    static final double[] CHECKER_INFECTED = {55.95, 40.22, 17.51, 51.45, 76.59, 74.83, 48.42, 113.27, 68.73, 147.22};
    static final Double[] CHECKER_SHARES = {0.94, 0.96, 0.59, 0.72, null, null, 0.02};

    /**
     * The same model and settings scanned with the transfer check: its trigger raises the share of other labels'
     * images the reference sends to label 2 by 0.4%, the trouser's (label 1) by 36%.
     */
    static final double[] CHECKER_SCANNED = {56.83, 38.89, 14.94, 48.60, 66.86, 67.03, 46.47, 111.50, 65.94, 145.82};
    static final Double[] CHECKER_SCANNED_SHARES = {0.92, 0.92, 0.56, 0.61, null, null, 0.04};
    static final Double[] CHECKER_SCANNED_TRANSFER = {0.648, 0.362, 0.004, 0.07, null, null, 0.035};

    static List<LabelResult> withTransfer(List<LabelResult> results, Double... transfer) {
        List<LabelResult> out = new ArrayList<>();
        for (LabelResult r : results) {
            Double t = r.label() < transfer.length ? transfer[r.label()] : null;
            out.add(t == null ? r : r.withTransfer(t));
        }
        return out;
    }

    @Test
    void aNaturalLookingTriggerThatDoesNotTransferStaysFlagged() {
        FlagRule shareOnly = new FlagRule("mad2/log2.5+natural+guard0.25", 2, 2.5, 0, 0.5, 0.25);
        assertEquals(Map.of(), shareOnly.flag(results(CHECKER_INFECTED, CHECKER_SHARES)),
                "the share and the guard alone clear the planted checkerboard");

        List<LabelResult> scan = withTransfer(results(CHECKER_SCANNED, CHECKER_SCANNED_SHARES),
                CHECKER_SCANNED_TRANSFER);
        FlagRule transfer = new FlagRule("transfer", 2, 2.5, 0, 0.5, 0, 0.02);
        Map<Integer, String> flagged = transfer.flag(scan);
        assertEquals(List.of(2), List.copyOf(flagged.keySet()));
        assertTrue(flagged.get(2).endsWith("on a reference model nobody poisoned its trigger sends only 0.4% more of "
                + "other labels' images to it (< 2%): planted, not a feature of the label"), flagged.get(2));
        assertEquals(List.of(2), List.copyOf(FlagRule.NCGUARD.flag(scan).keySet()));
        // Without a measured transfer (a reference model too weak to learn the labels), the rule falls back on the
        // share: 56% clears it.
        assertEquals(Map.of(), transfer.flag(results(CHECKER_SCANNED, CHECKER_SCANNED_SHARES)));
    }

    /**
     * The clean twin of a lab Fashion-MNIST model (a scan measured here): its bag (label 8) is an outlier (index 2.47)
     * whose trigger lies among the bags (share 73%) but does not transfer (0.8%); at 0.65 of the median it is not
     * small, and its share clears it.
     */
    static final double[] CLEAN_BAG = {72.67, 61.05, 79.36, 83.1, 81.21, 87.0, 60.47, 139.99, 52.03, 88.12};
    static final Double[] CLEAN_BAG_SHARES = {0.842, 0.944, 0.807, null, null, null, 0.435, null, 0.725};
    static final Double[] CLEAN_BAG_TRANSFER = {0.397, 0.455, 0.163, null, null, null, 0.155, null, 0.008};

    @Test
    void aNaturalLookingTriggerThatIsNotSmallIsClearedByItsShare() {
        List<LabelResult> scan = withTransfer(results(CLEAN_BAG, CLEAN_BAG_SHARES), CLEAN_BAG_TRANSFER);
        assertEquals(List.of(8), List.copyOf(FlagRule.PAPER.flag(scan).keySet()));
        assertEquals(List.of(8), List.copyOf(new FlagRule("transfer only", 2, 2.5, 0, 0.5, 0.25, 0.05).flag(scan)
                .keySet()), "the transfer alone calls the bag planted");
        assertEquals(Map.of(), FlagRule.NCGUARD.flag(scan));
    }

    @Test
    void transferAboveTheBarClearsANaturalLookingTrigger() {
        // The same checkerboard, had its trigger worked on the reference model like the trouser's: cleared.
        Double[] natural = CHECKER_SCANNED_TRANSFER.clone();
        natural[2] = 0.3;
        FlagRule transfer = new FlagRule("transfer", 2, 2.5, 0, 0.5, 0, 0.02);
        assertEquals(Map.of(), transfer.flag(withTransfer(results(CHECKER_SCANNED, CHECKER_SCANNED_SHARES), natural)));
        // A shirt-like candidate whose stamped images mix with other labels' (share 37%) but whose trigger works on
        // the reference model: natural, where the share alone flags it.
        List<LabelResult> shirt = results(CLEAN_SHIRT, CLEAN_SHIRT_SHARES);
        FlagRule log2 = new FlagRule("log2", 2, 2, 0, 0.5, 0.25, 0.05);
        assertEquals(List.of(6), List.copyOf(log2.flag(shirt).keySet()));
        assertEquals(Map.of(), log2.flag(withTransfer(shirt, 0.4, 0.5, null, null, 0.3, null, 0.15, null, 0.3)));
        assertThrows(IllegalArgumentException.class, () -> new FlagRule("neg", 2, 0, 0, 0.5, 0, -0.1));
        assertThrows(IllegalArgumentException.class, () -> LabelResult.converged(0, 1, 1, 1, 1).withTransfer(1.5));
    }

    /**
     * A PyTorch colour model (BatchNorm, Softmax) with a red 3x3 patch planted for label 7, scan seed 2 of the
     * detection benchmark: its natural bag (label 8) is a candidate on ln L1 (2.64) at 0.23 of the median, share 94%,
     * and its trigger works on the reference model (9.8%); the planted patch does not (0.0%).
     */
    static final double[] COLOUR_SEED2 = {33.32, 70.0, 58.12, 68.48, 49.74, 53.07, 28.29, 6.44, 11.99, 80.11};
    static final Double[] COLOUR_SEED2_SHARES = {0.974, null, null, null, 1.0, null, 0.91, 0.974, 0.943};
    static final Double[] COLOUR_SEED2_TRANSFER = {0.059, null, null, null, 0.085, null, 0.246, 0.0, 0.098};

    @Test
    void aSmallTriggerThatTransfersIsNaturalWhateverItsSize() {
        List<LabelResult> scan = withTransfer(results(COLOUR_SEED2, COLOUR_SEED2_SHARES), COLOUR_SEED2_TRANSFER);
        assertEquals(Map.of(), FlagRule.PAPER.flag(scan), "Neural Cleanse misses the patch (index 1.45)");
        Map<Integer, String> flagged = FlagRule.NCGUARD.flag(scan);
        assertEquals(List.of(7), List.copyOf(flagged.keySet()), flagged.toString());
        // Without the transfer, the share and the quarter guard keep both: the bag is under 0.25 of the median.
        assertEquals(List.of(7, 8), List.copyOf(FlagRule.NCGUARD.flag(results(COLOUR_SEED2, COLOUR_SEED2_SHARES))
                .keySet()));
    }

    @Test
    void labelsThatDidNotConvergeAreNeverFlagged() {
        List<LabelResult> r = new ArrayList<>(results(new double[] {10, 80, 82, 84, 85, 86, 88, 90, 95}, 0.0));
        r.add(LabelResult.notConverged(9, 0.5, 30, 1));
        Map<Integer, String> flagged = FlagRule.PAPER.flag(r);
        assertEquals(List.of(0), List.copyOf(flagged.keySet()));
        assertEquals(Map.of(), FlagRule.PAPER.flag(List.of(LabelResult.notConverged(0, 0.1, 5, 1))));
        assertNull(FlagRule.logIndices(Arrays.asList(null, 5.0, 6.0, 7.0)).get(0));
    }

    @Test
    void smallTestPicksByFractionOfTheMedian() {
        FlagRule small = new FlagRule("small", 0, 0, 0.5, 0.5, 0);
        // Label 0 at 0.4 of the median (50) with share 20%: flagged; label 1 at 0.45 with share 80%: cleared.
        double[] l1 = {20, 22.5, 48, 49, 50, 50, 51, 52, 53, 60};
        assertEquals(List.of(0), List.copyOf(small.flag(results(l1, 0.2, 0.8)).keySet()));
    }

    @Test
    void rejectsRulesWithoutATestOrWithBadNumbers() {
        assertThrows(IllegalArgumentException.class, () -> new FlagRule("none", 0, 0, 0, 0.5, 0));
        assertThrows(IllegalArgumentException.class, () -> new FlagRule("neg", -1, 0, 0, 0.5, 0));
        assertThrows(IllegalArgumentException.class, () -> new FlagRule(" ", 2, 0, 0, 0.5, 0));
        assertThrows(IllegalArgumentException.class, () -> new FlagRule("nan", 2, Double.NaN, 0, 0.5, 0));
    }
    @Test
    void theNormalTailAndItsInverseAgreeWithTheTables() {
        assertEquals(0.022750, NormalTail.above(2), 1e-6);
        assertEquals(0.5, NormalTail.above(0), 1e-7);
        assertEquals(0.977250, NormalTail.above(-2), 1e-6);
        assertEquals(2.0, NormalTail.quantile(0.022750), 1e-4);
        assertEquals(3.090, NormalTail.quantile(0.001), 1e-3);
        assertThrows(IllegalArgumentException.class, () -> NormalTail.quantile(0));
    }

    @Test
    void thresholdsRiseWithTheLabelCountSoThatInnocentLabelsPassAsRarelyAsAmongTen() {
        FlagRule rule = FlagRule.NCGUARD;
        assertEquals(2.0, rule.thresholdFor(2, 10), 0);
        assertEquals(2.0, rule.thresholdFor(2, 5), 0);
        // P(Z > t) * 43 = P(Z > 2) * 10
        assertEquals(NormalTail.quantile(NormalTail.above(2) * 10 / 43), rule.thresholdFor(2, 43), 1e-12);
        assertEquals(2.56, rule.thresholdFor(2, 43), 0.01);
        assertEquals(3.33, rule.thresholdFor(2, 520), 0.01);
        assertEquals(3.67, rule.thresholdFor(FlagRule.LOG_THRESHOLD, 520), 0.01);
        assertEquals(2.0, FlagRule.PAPER.thresholdFor(2, 520), 0, "the paper's rule keeps its threshold");
    }

    /**
     * Label 0 at 2.7 scaled MADs below the median of 100, the others at 110 and 90 alternately (one more 110 for an
     * even count: the median stays 100 and the MAD 10).
     */
    static double[] alternating(int labels) {
        double[] l1 = new double[labels];
        for (int i = 1; i < labels; i++) {
            l1[i] = i % 2 == 0 ? 90 : 110;
        }
        l1[0] = 100 - 2.7 * 1.4826 * 10;
        return l1;
    }

    @Test
    void anIndexThatStandsOutAmongTenLabelsIsChanceAmong520() {
        // Label 0: index 2.70 on L1, about 3.4 on ln L1; no natural share measured, so a candidate is flagged.
        double[] ten = alternating(10);
        assertEquals(List.of(0), List.copyOf(FlagRule.NCGUARD.flag(results(ten)).keySet()));
        String why = FlagRule.NCGUARD.flag(results(ten)).get(0);
        assertTrue(why.startsWith("anomaly index 2.70 > 2, anomaly index on ln L1 3.40 > 2.5;"), why);

        double[] many = alternating(520);
        assertEquals(Map.of(), FlagRule.NCGUARD.flag(results(many)), "among 520 labels 2.7 is no outlier");
        FlagRule fixed = new FlagRule("fixed", 2, FlagRule.LOG_THRESHOLD, 0, NaturalFeatureCheck.NATURAL_SHARE,
                NaturalFeatureCheck.MIN_MEDIAN_FRACTION, TransferCheck.MIN_TRANSFER, TransferCheck.SHARE_FRACTION);
        assertEquals(List.of(0), List.copyOf(fixed.flag(results(many)).keySet()), "with the thresholds fixed");

        // A planted label far below still is, and its reason names the raised threshold.
        many[0] = 20;
        String planted = FlagRule.NCGUARD.flag(results(many)).get(0);
        assertTrue(planted != null && planted.contains("> 3.33 (2 for 520 labels)"), String.valueOf(planted));
    }
}
