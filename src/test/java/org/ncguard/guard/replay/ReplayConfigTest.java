package org.ncguard.guard.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.NcguardException;

/** The replay's times, range, topics and summary, without a broker. */
class ReplayConfigTest {

    private static final ReplayRange RANGE = new ReplayRange(Instant.parse("2026-11-29T10:00:00Z"),
            Instant.parse("2026-11-29T11:00:00Z"));

    @TempDir
    Path dir;

    @Test
    void timesAreIsoInstantsOrEpochMillis() throws Exception {
        assertEquals(Instant.parse("2026-11-29T10:00:00Z"), ReplayTime.parse("--from", "2026-11-29T10:00:00Z"));
        assertEquals(Instant.ofEpochMilli(1_764_410_400_000L), ReplayTime.parse("--from", "1764410400000"));
        NcguardException bad = assertThrows(NcguardException.class, () -> ReplayTime.parse("--to", "noon"));
        assertEquals("--to takes an ISO-8601 instant (2026-11-29T10:00:00Z) or epoch milliseconds, found 'noon'",
                bad.getMessage());
    }

    @Test
    void rangeIsHalfOpenAndOrdered() {
        assertTrue(RANGE.contains(RANGE.from().toEpochMilli()));
        assertTrue(!RANGE.contains(RANGE.to().toEpochMilli()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ReplayRange(RANGE.to(), RANGE.from()));
        assertTrue(e.getMessage().contains("--from must be before --to"), e.getMessage());
    }

    @Test
    void outputsAreNeverTheLiveGuardsTopics() {
        ReplayConfig cfg = ReplayConfig.of("b:9092", "inference.requests", ReplayConfig.DEFAULT_OUT, RANGE);
        assertEquals("guard.replay.verdicts.alerts", cfg.alerts());
        assertEquals("ncguard-replay-guard.replay.verdicts", cfg.groupId());
        for (String live : List.of("guard.verdicts", "guard.alerts", "guard.dlq", "guard.profiles",
                "inference.requests", "inference.requests.clean", "inference.requests.quarantine")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ReplayConfig.of("b:9092", "inference.requests", live, RANGE));
            assertTrue(e.getMessage().contains("one of the live guard's topics"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new ReplayConfig("b:9092", "inference.requests", "x", "x",
                RANGE, Map.of(), false));
    }

    @Test
    void summaryCountsAndWritesJson() throws Exception {
        ReplayTally t = new ReplayTally();
        for (int i = 0; i < 12; i++) {
            t.seen(1000 + i);
            t.read();
            t.scored(i % 2 == 0 ? 3 : null, "r" + i);
        }
        t.seen(5000);
        t.read();
        t.unreadable("not-avro", "req-0@7", "not Avro");
        ReplaySummary s = t.summary(ReplayConfig.of("b:9092", "req", "out", RANGE), "p1", false, true);
        assertEquals(13, s.requestsRead());
        assertEquals(12, s.scored());
        assertEquals(new TreeMap<>(Map.of(3, 6L)), s.flaggedByLabel());
        assertEquals(List.of("r0", "r2", "r4", "r6", "r8", "r10"), s.examplesByLabel().get(3));
        assertEquals(Instant.ofEpochMilli(1000), s.firstSeen());
        assertEquals(Instant.ofEpochMilli(5000), s.lastSeen());
        Path file = dir.resolve("sub/summary.json");
        s.write(file);
        JsonNode json = JsonMapper.builder().build().readTree(file.toFile());
        assertEquals(13, json.get("requestsRead").asLong());
        assertEquals(6, json.get("flaggedByLabel").get("3").asLong());
        assertEquals(1, json.get("unreadableByReason").get("not-avro").asLong());
        assertEquals("req-0@7 not-avro: not Avro", json.get("unreadableExamples").get(0).asText());
        assertTrue(s.text().contains("would have been flagged: 6"), s.text());
    }
}
