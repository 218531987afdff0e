package org.ncguard.page;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TicksTest {

    @Test
    void niceStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        assertEquals(0.2, Ticks.niceStep(0.13), 1e-12);
        assertEquals(10, Ticks.niceStep(7), 1e-12);
        assertEquals(20, Ticks.niceStep(12), 1e-12);
        assertEquals(50, Ticks.niceStep(50), 1e-12);
    }

    @Test
    void axisLabelsThinOutWithNarrowSlots() {
        // Spacing needed: 28 units for up to two digits, 8 per digit + 8 beyond (3 digits 32, 4 digits 40).
        assertEquals(1, Ticks.tickEvery(78, 10));     // 10 labels on 780 units
        assertEquals(2, Ticks.tickEvery(18.1, 43));   // 43 labels: 18.1 < 28 <= 36.2
        assertEquals(5, Ticks.tickEvery(7.8, 100));   // 100 labels: 2 * 7.8 = 15.6 < 32 <= 39 = 5 * 7.8
        assertEquals(100, Ticks.tickEvery(0.61, 1283)); // 1283 labels: 50 * 0.61 = 30.5 < 40 <= 61
    }

    @Test
    void decimalsShowEveryMultipleOfTheStep() {
        assertEquals(0, Ticks.decimals(5));
        assertEquals(1, Ticks.decimals(0.2));
        assertEquals(2, Ticks.decimals(0.05));
    }
}
