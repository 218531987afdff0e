package org.ncguard.mitigate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScoreFormTest {

    /** Four neurons over four clean and two stamped inputs. */
    private static NeuronGaps gaps() {
        Penultimates clean = new Penultimates(new float[][] {
            {0, 1, 5, 0}, {0, 3, 5, 0}, {0, 1, 7, 0}, {0, 3, 7, 0}}, new int[4]);
        Penultimates stamped = new Penultimates(new float[][] {{0, 6, 6, 1}, {0, 6, 8, 1}}, new int[2]);
        return NeuronGaps.measure(clean, stamped);
    }

    @Test
    void gapsAreStampedMinusCleanMeansAndRankDescending() {
        NeuronGaps g = gaps();
        assertEquals(4, g.gap(1), 1e-6);   // 6 - 2
        assertEquals(1, g.gap(3), 1e-6);   // 1 - 0
        assertEquals(1, g.gap(2), 1e-6);   // 7 - 6
        assertEquals(0, g.gap(0), 1e-6);
        assertArrayEquals(new int[] {1, 2, 3, 0}, g.ranked()); // ties: lower index first
        assertArrayEquals(new float[] {0, 1, 1, 0}, g.cleanStd(), 1e-6f);
    }

    @Test
    void paperFormIsTheMeanOfTheTopNeurons() {
        ScoreForm.LinearScore s = ScoreForm.PAPER.build(gaps(), 2);
        assertArrayEquals(new int[] {1, 2}, s.neurons());
        assertEquals((6 + 6) / 2.0, s.score(new float[] {9, 6, 6, 9}), 1e-6);
        assertEquals(1, ScoreForm.PAPER.defaultNeurons(100));
        assertEquals(6, ScoreForm.PAPER.defaultNeurons(512));
    }

    @Test
    void ncguardFormZScoresAndWeighsByEffectSize() {
        ScoreForm.LinearScore s = ScoreForm.NCGUARD.build(gaps(), 3);
        assertArrayEquals(new int[] {1, 2, 3}, s.neurons());
        // Neuron 1: mean 2, std 1, gap 4 -> weight 4; neuron 2: mean 6, std 1, gap 1 -> weight 1.
        // Neuron 3 is silent on clean data: its std is floored at a tenth of the median non-zero std (1) = 0.1.
        assertArrayEquals(new float[] {1, 1, 0.1f}, s.scale(), 1e-6f);
        assertArrayEquals(new float[] {4, 1, 10}, s.weights(), 1e-5f);
        double expected = 4 * (3 - 2) / 1.0 + 1 * (6 - 6) / 1.0 + 10 * (0.5 - 0) / 0.1;
        assertEquals(expected, s.score(new float[] {0, 3, 6, 0.5f}), 1e-4);
    }

    @Test
    void formsAreNamedAsInTheProfile() {
        assertEquals(ScoreForm.PAPER, ScoreForm.of("paper"));
        assertEquals("ncguard", ScoreForm.NCGUARD.id());
        assertThrows(IllegalArgumentException.class, () -> ScoreForm.of("mean"));
        assertTrue(ScoreForm.NCGUARD.defaultNeurons(50) <= 50);
    }
}
