package org.ncguard.guard;

/** Names of the headers the guard writes on forwarded and dead-lettered records. */
public final class GuardHeaders {

    /** {@code pass}, {@code flag} or {@code drop}. */
    public static final String ACTION = "ncguard-action";
    /** The model's predicted label; {@code none} when only activations came. */
    public static final String LABEL = "ncguard-label";
    /** The label whose threshold was crossed; {@code none} when none was. */
    public static final String SUSPECT = "ncguard-suspect";
    /** The most suspicious label's score; {@code none} without a profile or with a clean one. */
    public static final String SCORE = "ncguard-score";
    /** The profile id the request was judged by; {@code none} when the model has no profile. */
    public static final String PROFILE = "ncguard-profile";
    /** On dead-letter records: the {@link DlqReason} ({@code not-avro}, {@code wrong-shape}, ...). */
    public static final String DLQ_REASON = "ncguard-dlq-reason";
    /** On dead-letter records: what exactly was wrong, in a sentence. */
    public static final String DLQ_MESSAGE = "ncguard-dlq-message";
    /** Value of a header that has nothing to say. */
    public static final String NONE = "none";

    private GuardHeaders() {
    }
}
