package org.ncguard.guard.serde;

import org.ncguard.avro.InferenceRequest;
import org.ncguard.guard.MalformedRequestException;

/**
 * Request bytes to a typed request, or a {@link MalformedRequestException} naming why not. One per stream task: an
 * implementation may reuse the previous record's buffers.
 */
public interface RequestReader {

    /** Decodes the value of a record from {@code topic}. */
    InferenceRequest read(String topic, byte[] value) throws MalformedRequestException;
}
