package org.ncguard.guard.replay;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.ncguard.NcguardException;

/** The TIME of {@code --from} and {@code --to}: an ISO-8601 instant ({@code 2026-11-29T10:00:00Z}) or epoch millis. */
public final class ReplayTime {

    private ReplayTime() {
    }

    /**
     * Parses {@code text}, given as option {@code option}.
     *
     * @throws NcguardException when it is neither an ISO-8601 instant nor epoch milliseconds
     */
    public static Instant parse(String option, String text) throws NcguardException {
        String t = text == null ? "" : text.strip();
        if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
            try {
                return Instant.ofEpochMilli(Long.parseLong(t));
            } catch (NumberFormatException e) {
                // too many digits: fall through to the error below
            }
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            throw new NcguardException(option + " takes an ISO-8601 instant (2026-11-29T10:00:00Z) or epoch "
                    + "milliseconds, found '" + text + "'");
        }
    }
}
