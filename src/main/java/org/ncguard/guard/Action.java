package org.ncguard.guard;

/** What the guard did with a request; {@link #wire()} is the value of the {@code ncguard-action} header. */
public enum Action {
    /** Not suspicious, or no profile to judge it by. */
    PASS,
    /** Suspicious, passed on with a mark (flag mode). */
    FLAG,
    /** Suspicious, sent to quarantine (drop mode). */
    DROP;

    private final String wire = name().toLowerCase(java.util.Locale.ROOT);

    /** {@code pass}, {@code flag} or {@code drop}. */
    public String wire() {
        return wire;
    }
}
