package org.ncguard.guard.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ncguard.guard.GuardTopics;

/**
 * Where a replay reads and writes.
 *
 * @param bootstrap the Kafka brokers
 * @param requests  the retained requests topic (read only)
 * @param out       verdicts topic of the replay ({@code guard.replay.verdicts} by default); also names the consumer
 *                  group that keeps the replay's progress, {@code ncguard-replay-<out>}
 * @param alerts    alerts topic of the replay ({@code <out>.alerts} by default)
 * @param range     the time range replayed
 * @param kafka     extra Kafka client settings (security, timeouts); the replay's own group id, isolation level and
 *                  commit settings override them
 * @param restart   true to ignore the progress a previous replay into {@code out} kept, and start at the range's start
 */
public record ReplayConfig(String bootstrap, String requests, String out, String alerts, ReplayRange range,
                           Map<String, String> kafka, boolean restart) {

    /** Default verdicts topic of a replay. */
    public static final String DEFAULT_OUT = "guard.replay.verdicts";

    public ReplayConfig {
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("a replay needs --bootstrap HOST:PORT, found '" + bootstrap + "'");
        }
        for (String t : new String[] {requests, out, alerts}) {
            if (t == null || t.isBlank()) {
                throw new IllegalArgumentException("every replay topic needs a name, found '" + t + "'");
            }
        }
        if (range == null) {
            throw new IllegalArgumentException("a replay needs a time range");
        }
        if (out.equals(alerts)) {
            throw new IllegalArgumentException("the replay's verdicts and alerts need two topics, found " + out
                    + " for both; give another --alerts");
        }
        List<String> live = liveTopics(requests);
        for (String t : new String[] {out, alerts}) {
            if (live.contains(t)) {
                throw new IllegalArgumentException("replay output topic " + t + " is one of the live guard's topics "
                        + live + "; give another --out (or --alerts)");
            }
        }
        kafka = Map.copyOf(kafka == null ? Map.of() : kafka);
    }

    /** The defaults: alerts to {@code <out>.alerts}, progress kept. */
    public static ReplayConfig of(String bootstrap, String requests, String out, ReplayRange range) {
        return new ReplayConfig(bootstrap, requests, out, out + ".alerts", range, Map.of(), false);
    }

    /** The consumer group that keeps this replay's progress (never the live guard's). */
    public String groupId() {
        return "ncguard-replay-" + out;
    }

    /** The same replay with other client settings. */
    public ReplayConfig withKafka(Map<String, String> settings) {
        return new ReplayConfig(bootstrap, requests, out, alerts, range, settings, restart);
    }

    /** The same replay, ignoring kept progress or not. */
    public ReplayConfig withRestart(boolean restart) {
        return new ReplayConfig(bootstrap, requests, out, alerts, range, kafka, restart);
    }

    /** The live guard's topics for {@code requests}, which a replay never writes. */
    static List<String> liveTopics(String requests) {
        GuardTopics t = GuardTopics.forRequests(requests);
        List<String> live = new ArrayList<>(t.outputs());
        live.add(t.requests());
        live.add(t.profiles());
        return List.copyOf(live);
    }
}
