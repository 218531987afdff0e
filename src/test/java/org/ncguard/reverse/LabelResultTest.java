package org.ncguard.reverse;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LabelResultTest {

    @Test
    void convergedLabelsHaveAnL1AndOthersDoNot() {
        LabelResult ok = LabelResult.converged(3, 12.5, 0.995, 300, 40.2);
        assertTrue(ok.converged());
        assertEquals(12.5, ok.l1(), 0.0);
        assertNull(LabelResult.notConverged(3, 0.4, 1000, 90).l1());
        assertThrows(IllegalArgumentException.class, () -> new LabelResult(3, null, 1, 1, 1, null, true, null, null));
        assertThrows(IllegalArgumentException.class, () -> new LabelResult(3, 5.0, 1, 1, 1, null, false, null, null));
        assertThrows(IllegalArgumentException.class, () -> new LabelResult(3, null, 1, 1, 1, 2.0, false, null, null));
    }

    @Test
    void rejectsValuesOutsideTheirRange() {
        assertThrows(IllegalArgumentException.class, () -> LabelResult.converged(-1, 1, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> LabelResult.converged(0, -1, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> LabelResult.converged(0, Double.NaN, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> LabelResult.converged(0, 1, 1.01, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> LabelResult.converged(0, 1, Double.NaN, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> LabelResult.converged(0, 1, 1, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> LabelResult.converged(0, 1, 1, 1, -0.5));
        assertThrows(IllegalArgumentException.class,
                () -> LabelResult.converged(0, 1, 1, 1, 1).withAnomalyIndex(Double.POSITIVE_INFINITY));
        assertDoesNotThrow(() -> LabelResult.converged(0, 0, 0, 0, 0).withAnomalyIndex(0.0));
    }

    @Test
    void messagesShowTheBadValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LabelResult.converged(7, 1, 1.5, 1, 1));
        assertTrue(e.getMessage().contains("1.5") && e.getMessage().contains("label 7"), e.getMessage());
    }
}
