package org.ncguard.guard.serde;

import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;
import org.ncguard.avro.InferenceRequest;
import org.ncguard.guard.DlqReason;
import org.ncguard.guard.MalformedRequestException;

/** Reads single-object encoded requests, reusing the previous request's record (and its tensor buffer). */
final class SingleObjectRequestReader implements RequestReader {

    private static final int HEADER = 10; // 0xC3 0x01 + 8-byte fingerprint

    private final BinaryMessageDecoder<InferenceRequest> decoder = InferenceRequest.getDecoder();
    private InferenceRequest reuse;

    @Override
    public InferenceRequest read(String topic, byte[] value) {
        if (value == null || value.length < HEADER || value[0] != (byte) 0xC3 || value[1] != 0x01) {
            throw new MalformedRequestException(DlqReason.NOT_AVRO, "the value is not Avro single-object encoded "
                    + "(expected 0xC3 0x01 and a schema fingerprint, found " + describe(value) + ")");
        }
        try {
            reuse = decoder.decode(value, reuse);
            return reuse;
        } catch (MissingSchemaException e) {
            reuse = null;
            throw new MalformedRequestException(DlqReason.WRONG_SCHEMA, "the value's schema fingerprint is not "
                    + "InferenceRequest's: " + e.getMessage());
        } catch (Exception e) {
            reuse = null;
            throw new MalformedRequestException(DlqReason.MALFORMED_AVRO, "cannot decode the InferenceRequest body ("
                    + value.length + " bytes): " + e);
        }
    }

    static String describe(byte[] value) {
        if (value == null) {
            return "a null value";
        }
        StringBuilder s = new StringBuilder(value.length + " bytes");
        for (int i = 0; i < Math.min(2, value.length); i++) {
            s.append(i == 0 ? " starting " : " ").append(String.format("0x%02X", value[i]));
        }
        return s.toString();
    }
}
