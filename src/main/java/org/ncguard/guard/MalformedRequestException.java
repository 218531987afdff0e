package org.ncguard.guard;

/**
 * A request the guard cannot score. Thrown inside the topology; Kafka Streams hands it to {@link DeadLetterHandler},
 * which writes the original record to the dead-letter topic with the reason in its headers, and the guard goes on.
 */
public final class MalformedRequestException extends RuntimeException {

    private final DlqReason reason;

    public MalformedRequestException(DlqReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public MalformedRequestException(DlqReason reason, String message, Throwable cause) {
        super(message, cause, false, false);
        this.reason = reason;
    }

    public DlqReason reason() {
        return reason;
    }
}
