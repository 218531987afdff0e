package org.ncguard.profile;

import org.ncguard.NcguardException;

/** A profile that cannot be used: missing, not JSON or Avro, or with contradictory content. */
public final class InvalidProfileException extends NcguardException {

    public InvalidProfileException(String message) {
        super(message);
    }

    public InvalidProfileException(String message, Throwable cause) {
        super(message, cause);
    }
}
