package org.ncguard.guard.serde;

import org.apache.kafka.common.serialization.Deserializer;
import org.ncguard.avro.InferenceRequest;
import org.ncguard.guard.DlqReason;
import org.ncguard.guard.MalformedRequestException;

/** Reads Confluent wire format requests (byte 0, 4-byte schema id, body) through the registry's deserializer. */
final class RegistryRequestReader implements RequestReader {

    private final Deserializer<Object> deserializer;

    RegistryRequestReader(Deserializer<Object> deserializer) {
        this.deserializer = deserializer;
    }

    @Override
    public InferenceRequest read(String topic, byte[] value) {
        if (value == null || value.length < 5 || value[0] != 0) {
            throw new MalformedRequestException(DlqReason.NOT_AVRO, "the value is not in the Confluent wire format "
                    + "(expected byte 0 and a 4-byte schema id, found " + SingleObjectRequestReader.describe(value) + ")");
        }
        Object decoded;
        try {
            decoded = deserializer.deserialize(topic, value);
        } catch (RuntimeException e) {
            String text = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
            DlqReason reason = text.contains("not found") || text.contains("no content") || text.contains("404")
                    ? DlqReason.WRONG_SCHEMA : DlqReason.MALFORMED_AVRO;
            throw new MalformedRequestException(reason, "the registry deserializer refused the value: " + e);
        }
        if (decoded instanceof InferenceRequest r) {
            return r;
        }
        throw new MalformedRequestException(DlqReason.WRONG_SCHEMA, "the value's schema is not InferenceRequest, found "
                + (decoded == null ? "null" : decoded.getClass().getName()));
    }
}
