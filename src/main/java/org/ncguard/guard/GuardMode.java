package org.ncguard.guard;

/** What happens to a suspicious request: dropped into the quarantine topic, or passed on with a flag. */
public enum GuardMode {
    /** Suspicious requests go to {@code <requests>.quarantine}. */
    DROP,
    /** Every request goes to {@code <requests>.clean}; suspicious ones carry {@code ncguard-action: flag}. */
    FLAG;

    /** Parses {@code drop} or {@code flag}. */
    public static GuardMode parse(String text) {
        for (GuardMode m : values()) {
            if (m.name().equalsIgnoreCase(text)) {
                return m;
            }
        }
        throw new IllegalArgumentException("mode must be drop or flag, found '" + text + "'");
    }
}
