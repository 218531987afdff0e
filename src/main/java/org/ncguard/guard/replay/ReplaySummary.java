package org.ncguard.guard.replay;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.ncguard.NcguardException;

/**
 * What one replay run found: requests read, what would have been flagged (per suspected label, with example request
 * ids), the first and last record timestamps seen, and the records it could not read or score (per reason, with where
 * they are).
 *
 * @param requests           the requests topic
 * @param out                the replay's verdicts topic
 * @param alerts             the replay's alerts topic
 * @param range              the range replayed
 * @param profileId          the profile scored against
 * @param resumed            whether this run went on from the progress of an earlier run into {@code out}
 * @param complete           whether this run reached the end of the range (false: stopped; its progress is kept)
 * @param requestsRead       records of the range read by this run (scored or not)
 * @param scored             requests scored, each with a verdict on {@code out}
 * @param flaggedByLabel     suspected label to the number of requests that would have been flagged for it
 * @param examplesByLabel    suspected label to up to {@link #EXAMPLES} request ids
 * @param firstSeen          earliest record timestamp read, or null when nothing was read
 * @param lastSeen           latest record timestamp read, or null
 * @param outsideRange       records within the range's offsets whose own timestamp lies outside it (skipped)
 * @param unreadableByReason reason ({@code not-avro}, {@code unknown-model}, ...) to count
 * @param unreadableExamples up to {@link #EXAMPLES} of them: {@code topic-partition@offset reason: message}
 */
public record ReplaySummary(String requests, String out, String alerts, ReplayRange range, String profileId,
                            boolean resumed, boolean complete, long requestsRead, long scored, SortedMap<Integer, Long> flaggedByLabel,
                            SortedMap<Integer, List<String>> examplesByLabel, Instant firstSeen, Instant lastSeen,
                            long outsideRange, SortedMap<String, Long> unreadableByReason,
                            List<String> unreadableExamples) {

    /** Example ids kept per label, and unreadable records listed, at most. */
    public static final int EXAMPLES = 10;

    public ReplaySummary {
        if (requests == null || out == null || alerts == null || range == null || profileId == null) {
            throw new IllegalArgumentException("requests, out, alerts, range and profileId are required");
        }
        if (requestsRead < 0 || scored < 0 || outsideRange < 0 || scored > requestsRead) {
            throw new IllegalArgumentException("expected 0 <= scored <= requestsRead, found " + scored + " and "
                    + requestsRead);
        }
        flaggedByLabel = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(flaggedByLabel));
        examplesByLabel = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(examplesByLabel));
        unreadableByReason = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(unreadableByReason));
        unreadableExamples = List.copyOf(unreadableExamples);
    }

    /** Requests that would have been flagged, all labels. */
    public long flagged() {
        return flaggedByLabel.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Records that could not be read or scored. */
    public long unreadable() {
        return unreadableByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The summary as people read it, several lines. */
    public String text() {
        StringBuilder s = new StringBuilder();
        s.append("replay of ").append(requests).append(' ').append(range).append(" against profile ")
                .append(profileId).append(resumed ? " (resumed)" : "")
                .append(complete ? "" : " (stopped before the end: run again with the same --out to go on)")
                .append('\n');
        s.append("  requests read: ").append(requestsRead).append(", scored: ").append(scored)
                .append(", would have been flagged: ").append(flagged()).append('\n');
        flaggedByLabel.forEach((label, n) -> s.append("    label ").append(label).append(": ").append(n)
                .append(" (e.g. ").append(String.join(", ", examplesByLabel.getOrDefault(label, List.of())))
                .append(")\n"));
        s.append("  first seen: ").append(firstSeen == null ? "-" : firstSeen).append(", last seen: ")
                .append(lastSeen == null ? "-" : lastSeen).append('\n');
        if (outsideRange > 0) {
            s.append("  skipped (timestamp outside the range): ").append(outsideRange).append('\n');
        }
        s.append("  could not read: ").append(unreadable());
        if (!unreadableByReason.isEmpty()) {
            s.append(' ').append(unreadableByReason);
        }
        s.append('\n');
        unreadableExamples.forEach(e -> s.append("    ").append(e).append('\n'));
        s.append("  verdicts: ").append(out).append(", alerts: ").append(alerts).append('\n');
        return s.toString();
    }

    /** The summary as a JSON object. */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requests", requests);
        m.put("out", out);
        m.put("alerts", alerts);
        m.put("from", range.from().toString());
        m.put("to", range.to().toString());
        m.put("profileId", profileId);
        m.put("resumed", resumed);
        m.put("complete", complete);
        m.put("requestsRead", requestsRead);
        m.put("scored", scored);
        m.put("flagged", flagged());
        Map<String, Long> flagged = new LinkedHashMap<>();
        flaggedByLabel.forEach((k, v) -> flagged.put(k.toString(), v));
        m.put("flaggedByLabel", flagged);
        Map<String, List<String>> examples = new LinkedHashMap<>();
        examplesByLabel.forEach((k, v) -> examples.put(k.toString(), v));
        m.put("examplesByLabel", examples);
        m.put("firstSeen", firstSeen == null ? null : firstSeen.toString());
        m.put("lastSeen", lastSeen == null ? null : lastSeen.toString());
        m.put("outsideRange", outsideRange);
        m.put("unreadable", unreadable());
        m.put("unreadableByReason", unreadableByReason);
        m.put("unreadableExamples", unreadableExamples);
        return m;
    }

    /** Writes {@link #json()} to {@code file}. */
    public void write(Path file) throws NcguardException {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(file, JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
                    .writeValueAsBytes(json()));
        } catch (IOException e) {
            throw new NcguardException("cannot write the replay summary " + file + ": " + e.getMessage()
                    + " (give a writable --summary path)", e);
        }
    }
}
