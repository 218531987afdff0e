package org.ncguard.reverse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.NcguardException;

class ReversedTriggerTest {

    @TempDir
    Path dir;

    /** 1 channel, 2x3: mask row-major, pattern channel-planar. */
    private static ReversedTrigger small() {
        return new ReversedTrigger(7, 1, 2, 3,
                new float[] {0f, 0.5f, 1f, 0.25f, 0f, 0.125f},
                new float[] {1f, 1f, 0.5f, 0.2f, 0.3f, 1f});
    }

    @Test
    void exposesPixelsNormAndVisibleTrigger() {
        ReversedTrigger t = small();
        assertEquals(0.25f, t.mask(1, 0));
        assertEquals(0.5f, t.pattern(0, 0, 2));
        // 0 + 0.5 + 1 + 0.25 + 0 + 0.125 = 1.875
        assertEquals(1.875, t.l1(), 1e-9);
        // mask * pattern: 0, 0.5, 0.5, 0.05, 0, 0.125
        assertArrayEquals(new float[] {0f, 0.5f, 0.5f, 0.05f, 0f, 0.125f}, t.visible(), 1e-7f);
    }

    @Test
    void visibleTriggerAppliesTheSharedMaskToEveryChannel() {
        // 3 channels, 1x2: mask (1, 0.5); pattern planes R (0.2, 0.4), G (0.6, 0.8), B (1, 0).
        ReversedTrigger t = new ReversedTrigger(0, 3, 1, 2, new float[] {1f, 0.5f},
                new float[] {0.2f, 0.4f, 0.6f, 0.8f, 1f, 0f});
        assertArrayEquals(new float[] {0.2f, 0.2f, 0.6f, 0.4f, 1f, 0f}, t.visible(), 1e-7f);
        assertEquals(0.8f, t.pattern(1, 0, 1));
    }

    @Test
    void arraysAreCopiedInAndOut() {
        float[] mask = {0f, 0.5f, 1f, 0.25f, 0f, 0.125f};
        ReversedTrigger t = new ReversedTrigger(7, 1, 2, 3, mask, new float[6]);
        mask[0] = 1f;
        t.mask()[1] = 0f;
        assertEquals(0f, t.mask(0, 0));
        assertEquals(0.5f, t.mask(0, 1));
    }

    @Test
    void equalityComparesContents() {
        assertEquals(small(), small());
        assertEquals(small().hashCode(), small().hashCode());
        ReversedTrigger other = new ReversedTrigger(7, 1, 2, 3, new float[] {0f, 0.5f, 1f, 0.25f, 0f, 0.25f},
                small().pattern());
        assertNotEquals(small(), other);
    }

    @Test
    void rejectsWrongSizesAndValues() {
        assertThrows(IllegalArgumentException.class, () -> new ReversedTrigger(0, 1, 2, 3, new float[5], new float[6]));
        assertThrows(IllegalArgumentException.class, () -> new ReversedTrigger(0, 3, 2, 3, new float[6], new float[6]));
        assertThrows(IllegalArgumentException.class, () -> new ReversedTrigger(0, 2, 2, 3, new float[6], new float[12]));
        float[] bad = new float[6];
        bad[4] = 1.5f;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ReversedTrigger(0, 1, 2, 3, bad, new float[6]));
        assertTrue(e.getMessage().contains("1.5") && e.getMessage().contains("index 4"), e.getMessage());
        float[] nan = new float[6];
        nan[0] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> new ReversedTrigger(0, 1, 2, 3, new float[6], nan));
    }

    @Test
    void roundTripsThroughJsonExactly() throws Exception {
        ReversedTrigger t = ScanFixtures.trigger(3);
        Path file = dir.resolve("label-03.json");
        t.write(file);
        assertEquals(t, ReversedTrigger.read(file));
        JsonNode json = Json.MAPPER.readTree(file.toFile());
        for (String field : List.of("label", "channels", "height", "width", "mask", "pattern")) {
            assertTrue(json.has(field), field);
        }
        assertEquals(32 * 32, json.get("mask").size());
        assertEquals(3 * 32 * 32, json.get("pattern").size());
    }

    @Test
    void damagedFileIsAUserError() throws Exception {
        Path file = dir.resolve("label-03.json");
        ScanFixtures.trigger(3).write(file);
        String text = Files.readString(file);
        Files.writeString(file, text.substring(0, text.length() / 3));
        NcguardException e = assertThrows(NcguardException.class, () -> ReversedTrigger.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
}
