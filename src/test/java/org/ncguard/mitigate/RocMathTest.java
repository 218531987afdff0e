package org.ncguard.mitigate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ncguard.profile.RocCurve;

class RocMathTest {

    private static final double[] ONE_TO_TWENTY = new double[20];

    static {
        for (int i = 0; i < 20; i++) {
            ONE_TO_TWENTY[i] = i + 1;
        }
    }

    @Test
    void thresholdLetsAtMostTheAskedShareOfCleanScoresAbove() {
        // 20 scores 1..20: at 5% one score (20) may be above, at 10% two (19, 20), at 20% four.
        assertEquals(19, RocMath.threshold(ONE_TO_TWENTY, 0.05));
        assertEquals(18, RocMath.threshold(ONE_TO_TWENTY, 0.10));
        assertEquals(16, RocMath.threshold(ONE_TO_TWENTY, 0.20));
        assertEquals(0.05, RocMath.shareAbove(ONE_TO_TWENTY, RocMath.threshold(ONE_TO_TWENTY, 0.05)));
        // 1% of 20 is a fifth of a score: nothing may be above.
        assertEquals(20, RocMath.threshold(ONE_TO_TWENTY, 0.01));
        assertEquals(0, RocMath.shareAbove(ONE_TO_TWENTY, 20));
        // At 100% every clean score is above.
        assertEquals(1.0, RocMath.shareAbove(ONE_TO_TWENTY, RocMath.threshold(ONE_TO_TWENTY, 1.0)));
    }

    @Test
    void thresholdDoesNotDependOnOrder() {
        double[] shuffled = {7, 3, 20, 1, 15, 9, 12, 2, 18, 5, 11, 4, 19, 6, 16, 8, 14, 10, 17, 13};
        assertEquals(RocMath.threshold(ONE_TO_TWENTY, 0.05), RocMath.threshold(shuffled, 0.05));
    }

    @Test
    void aucCountsPairsAndHalfTies() {
        assertEquals(1.0, RocMath.auc(new double[] {1, 2, 3}, new double[] {4, 5}));
        assertEquals(0.0, RocMath.auc(new double[] {4, 5}, new double[] {1, 2, 3}));
        assertEquals(0.5, RocMath.auc(new double[] {1, 1}, new double[] {1}));
        // stamped 2 beats clean 1, ties clean 2 (half), loses to clean 3: (1 + 0.5) / 3.
        assertEquals(0.5, RocMath.auc(new double[] {1, 2, 3}, new double[] {2}), 1e-12);
    }

    @Test
    void aucMatchesTheBruteForcePairCount() {
        SplittableRandom r = new SplittableRandom(3);
        double[] clean = r.doubles(300, 0, 1).map(v -> Math.round(v * 20) / 20.0).toArray();
        double[] stamped = r.doubles(200, 0.3, 1.3).map(v -> Math.round(v * 20) / 20.0).toArray();
        double pairs = 0;
        for (double s : stamped) {
            for (double c : clean) {
                pairs += s > c ? 1 : s == c ? 0.5 : 0;
            }
        }
        assertEquals(pairs / (300.0 * 200), RocMath.auc(clean, stamped), 1e-12);
    }

    @Test
    void curveGivesTheMissesAtEachFalsePositiveRate() {
        // Stamped scores 15.5..19.5: at 5% FPR the threshold is 19, so 4 of 5 are at or below it.
        double[] stamped = {15.5, 16.5, 17.5, 18.5, 19.5};
        RocCurve c = RocMath.curve(ONE_TO_TWENTY, stamped);
        assertEquals(0.8, c.fnrAt(0.05), 1e-12);
        assertEquals(0.6, c.fnrAt(0.10), 1e-12);
        assertEquals(0.0, c.fnrAt(0.30), 1e-12);
        assertEquals((15 + 16 + 17 + 18 + 19) / 100.0, c.auc(), 1e-12); // clean scores below each stamped one
        for (int i = 1; i < c.points().size(); i++) {
            assertTrue(c.points().get(i).fnr() <= c.points().get(i - 1).fnr(), "FNR falls as FPR grows");
        }
    }

    @Test
    void refusesEmptyInput() {
        assertThrows(IllegalArgumentException.class, () -> RocMath.threshold(new double[0], 0.05));
        assertThrows(IllegalArgumentException.class, () -> RocMath.auc(new double[] {1}, new double[0]));
    }
}
