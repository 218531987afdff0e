package org.ncguard.guard;

import java.util.Locale;

/** Why a request went to the dead-letter queue; {@link #wire()} is the value of the {@code ncguard-dlq-reason} header. */
public enum DlqReason {
    /** Not an Avro single-object (or, with a registry, Confluent wire format) record. */
    NOT_AVRO,
    /** Avro, but of a schema other than InferenceRequest (or one the registry does not know). */
    WRONG_SCHEMA,
    /** Avro header right, body cut short or corrupt. */
    MALFORMED_AVRO,
    /** The request's modelId is not served. */
    UNKNOWN_MODEL,
    /** Neither a tensor nor activations. */
    NO_INPUT,
    /** A tensor datatype other than UINT8 or FP32. */
    WRONG_DATATYPE,
    /** A tensor shape that is not the model's input (or activations of another length). */
    WRONG_SHAPE,
    /** Tensor data whose length does not match its shape. */
    WRONG_SIZE,
    /** A tensor with more values than the model's input. */
    TOO_LARGE,
    /** NaN or infinite values. */
    NON_FINITE,
    /** The model failed on a request that passed every check. */
    SCORING_FAILED,
    /** The broker refused the forwarded request (too large with the guard's headers, not authorised, ...). */
    OUTPUT_REJECTED;

    /** Lower case with dashes: {@code not-avro}, {@code wrong-shape}, ... */
    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
