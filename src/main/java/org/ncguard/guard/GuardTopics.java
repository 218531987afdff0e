package org.ncguard.guard;

import java.util.List;

/**
 * The names of every topic the guard reads or writes, derived from the requests topic: one place that lists them.
 *
 * @param requests   where inference requests arrive
 * @param clean      {@code <requests>.clean}: requests passed on, key and value bytes unchanged
 * @param quarantine {@code <requests>.quarantine}: suspicious requests in drop mode
 * @param alerts     {@code guard.alerts}
 * @param verdicts   {@code guard.verdicts}
 * @param profiles   {@code guard.profiles}, compacted, keyed by the profile's modelSha256
 * @param dlq        {@code guard.dlq}: malformed requests with their original bytes and a reason
 */
public record GuardTopics(String requests, String clean, String quarantine, String alerts, String verdicts,
                          String profiles, String dlq) {

    /** Default requests topic. */
    public static final String DEFAULT_REQUESTS = "inference.requests";

    public GuardTopics {
        for (String t : new String[] {requests, clean, quarantine, alerts, verdicts, profiles, dlq}) {
            if (t == null || t.isBlank()) {
                throw new IllegalArgumentException("every topic needs a name, found '" + t + "'");
            }
        }
        if (List.of(clean, quarantine, alerts, verdicts, profiles, dlq).contains(requests)) {
            throw new IllegalArgumentException("the requests topic " + requests + " cannot also be an output");
        }
    }

    /** The standard names for {@code requests}. */
    public static GuardTopics forRequests(String requests) {
        return new GuardTopics(requests, requests + ".clean", requests + ".quarantine", "guard.alerts",
                "guard.verdicts", "guard.profiles", "guard.dlq");
    }

    /** Topics written with the requests topic's partition count. */
    public List<String> outputs() {
        return List.of(clean, quarantine, alerts, verdicts, dlq);
    }
}
