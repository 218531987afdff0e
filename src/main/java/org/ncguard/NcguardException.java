package org.ncguard;

/**
 * A problem the user can fix: a missing file, a model ncguard cannot handle, malformed data.
 *
 * <p>The message is shown as one line, so it says what is wrong and what would work
 * ("expected ..., found ..."). Failures inside native libraries are runtime exceptions instead.
 */
public class NcguardException extends Exception {

    public NcguardException(String message) {
        super(message);
    }

    public NcguardException(String message, Throwable cause) {
        super(message, cause);
    }
}
