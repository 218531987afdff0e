package org.ncguard.reverse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CostScheduleTest {

    private final CostSchedule.Settings defaults = CostSchedule.Settings.defaults();

    @Test
    void costStaysZeroUntilFiveSuccessfulStepsInARow() {
        CostSchedule s = new CostSchedule(defaults);
        for (int i = 0; i < 4; i++) {
            s.update(1.0, 100);
        }
        s.update(0.5, 100); // breaks the run
        assertEquals(0, s.cost());
        for (int i = 0; i < 5; i++) {
            s.update(1.0, 100);
        }
        assertEquals(1e-3, s.cost(), 1e-15);
    }

    @Test
    void costDoublesAfterFiveSuccessesAndDropsByTwoToTheOnePointFiveAfterFiveFailures() {
        CostSchedule s = new CostSchedule(defaults);
        for (int i = 0; i < 5; i++) {
            s.update(1.0, 50);
        }
        for (int i = 0; i < 5; i++) {
            s.update(1.0, 50);
        }
        assertEquals(2e-3, s.cost(), 1e-15);
        for (int i = 0; i < 5; i++) {
            s.update(0.2, 50);
        }
        assertEquals(2e-3 / Math.pow(2, 1.5), s.cost(), 1e-15);
    }

    @Test
    void bestL1OnlyCountsStepsThatReachTheThreshold() {
        CostSchedule s = new CostSchedule(defaults);
        assertFalse(s.update(0.98, 5), "below 0.99 never becomes the best mask");
        assertFalse(s.converged());
        assertTrue(s.update(0.995, 40));
        assertFalse(s.update(0.995, 41));
        assertTrue(s.update(1.0, 30));
        assertEquals(30, s.bestL1());
        assertTrue(s.converged());
    }

    @Test
    void stopsTwentyFiveStepsWithoutImprovementOnceCostWentUpAndDown() {
        CostSchedule s = new CostSchedule(defaults);
        for (int i = 0; i < 10; i++) {
            s.update(1.0, 20); // cost set after 5, raised after 10
        }
        for (int i = 0; i < 5; i++) {
            s.update(0.0, 20); // lowered
        }
        assertFalse(s.shouldStop());
        while (!s.shouldStop() && s.steps() < 100) {
            s.update(1.0, 20);
        }
        // The best (20) was found at step 1; the counter has run since, as in the original code.
        assertEquals(1 + defaults.earlyStopPatience(), s.steps());
    }

    @Test
    void aBetterMaskResetsTheEarlyStopCounter() {
        CostSchedule s = new CostSchedule(defaults);
        for (int i = 0; i < 10; i++) {
            s.update(1.0, 20);
        }
        for (int i = 0; i < 5; i++) {
            s.update(0.0, 20);
        }
        s.update(1.0, 19); // improvement at step 16
        while (!s.shouldStop() && s.steps() < 100) {
            s.update(1.0, 19);
        }
        assertEquals(16 + defaults.earlyStopPatience(), s.steps());
    }

    @Test
    void decidesToStopBeforeTheStepsCostChangeAsTheOriginalDoes() {
        CostSchedule s = new CostSchedule(defaults);
        for (int i = 0; i < 30; i++) {
            s.update(1.0, 20); // cost set at step 5, raised every 5 steps since: no improvement after step 1
        }
        for (int i = 0; i < 5; i++) {
            s.update(0.0, 20); // step 35 lowers the cost for the first time
        }
        assertFalse(s.shouldStop(), "the down flag set in this step counts from the next one");
        s.update(0.0, 20);
        assertTrue(s.shouldStop());
    }

    @Test
    void neverStopsWhileTheCostOnlyRises() {
        CostSchedule s = new CostSchedule(defaults);
        for (int i = 0; i < 200; i++) {
            s.update(1.0, 10);
        }
        assertFalse(s.shouldStop());
    }
}
