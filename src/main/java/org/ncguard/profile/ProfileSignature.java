package org.ncguard.profile;

/**
 * A profile's signature: who signed it and the signature over its canonical bytes ({@link ProfileSignatures}).
 * Checked by a guard that trusts keys; carried unchanged by the JSON and Avro forms.
 *
 * @param keyId     the signer's key: the first 16 hex digits of the SHA-256 of its public key (X.509 DER)
 * @param algorithm {@value ProfileSignatures#ALGORITHM}
 * @param value     the signature, base64
 */
public record ProfileSignature(String keyId, String algorithm, String value) {

    public ProfileSignature {
        if (keyId == null || keyId.isBlank() || algorithm == null || algorithm.isBlank() || value == null
                || value.isBlank()) {
            throw new IllegalArgumentException("a profile signature needs keyId, algorithm and value, found keyId '"
                    + keyId + "', algorithm '" + algorithm + "'");
        }
    }
}
