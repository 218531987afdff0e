package org.ncguard.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ncguard.profile.GuardProfile;
import org.ncguard.profile.LabelProfile;
import org.ncguard.profile.Roc;
import org.ncguard.profile.RocCurve;

/** The pure policy: score and threshold to action, in both modes. */
class GuardPolicyTest {

    private static final LabelProfile LABEL = new LabelProfile(4, new int[] {0}, new float[] {1}, new float[] {0},
            new float[] {1}, 2.0, new float[] {1}, 0.0, 0.5, new Roc(new RocCurve(0.9, List.of()), null));

    private static Optional<GuardProfile.Suspicion> score(double s) {
        return Optional.of(new GuardProfile.Suspicion(LABEL, s));
    }

    @Test
    void aboveTheThresholdIsDroppedInDropModeAndFlaggedInFlagMode() {
        GuardPolicy.Decision drop = new GuardPolicy(GuardMode.DROP).decide(score(2.1));
        assertEquals(Action.DROP, drop.action());
        assertEquals(4, drop.suspectedLabel());
        assertEquals(2.0, drop.threshold());
        assertEquals(Action.FLAG, new GuardPolicy(GuardMode.FLAG).decide(score(2.1)).action());
    }

    @Test
    void atOrBelowTheThresholdPasses() {
        for (GuardMode mode : GuardMode.values()) {
            GuardPolicy.Decision d = new GuardPolicy(mode).decide(score(2.0));
            assertEquals(Action.PASS, d.action());
            assertNull(d.suspectedLabel());
            assertEquals(2.0, d.score());
            assertFalse(d.suspicious());
        }
    }

    @Test
    void nothingToJudgeByPassesUnscored() {
        GuardPolicy.Decision d = new GuardPolicy(GuardMode.DROP).decide(Optional.empty());
        assertEquals(Action.PASS, d.action());
        assertNull(d.score());
        assertNull(d.threshold());
    }

    @Test
    void severityIsHighThreeCleanDeviationsAboveTheThreshold() {
        GuardPolicy p = new GuardPolicy(GuardMode.DROP);
        assertEquals("medium", p.decide(score(2.0 + 0.5 * 2.9)).severity());
        assertEquals("high", p.decide(score(2.0 + 0.5 * 3.1)).severity());
        assertTrue(p.decide(score(3.6)).suspicious());
    }

    @Test
    void decisionsRefuseContradictions() {
        assertThrows(IllegalArgumentException.class, () -> new GuardPolicy.Decision(Action.PASS, 3, 1.0, 0.0, 1));
        assertThrows(IllegalArgumentException.class, () -> new GuardPolicy.Decision(Action.DROP, null, 1.0, 0.0, 1));
        assertEquals(GuardMode.FLAG, GuardMode.parse("flag"));
        assertThrows(IllegalArgumentException.class, () -> GuardMode.parse("block"));
        assertEquals(Guarantee.AT_LEAST_ONCE, Guarantee.parse("at-least-once"));
    }
}
