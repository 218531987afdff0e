package org.ncguard.profile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Signs and checks guard profiles with Ed25519 (in the JDK). A profile is a security control: whoever can replace it
 * can switch the guard off, so a guard that trusts keys applies only profiles signed by one of them.
 *
 * <p>The signature covers the profile's canonical bytes: a fixed prefix, then the Avro binary encoding of its record
 * ({@code schemas/GuardProfile.avsc}) with the signature null and the versions map in key order. The JSON and Avro
 * forms hold the same content, so a profile verifies alike in either.
 */
public final class ProfileSignatures {

    /** The one signature algorithm. */
    public static final String ALGORITHM = "Ed25519";

    /** Domain separation: these bytes are a guard profile, in this layout, and nothing else. */
    private static final byte[] PREFIX = "ncguard guard profile v1\n".getBytes(StandardCharsets.US_ASCII);

    private ProfileSignatures() {
    }

    /** What a guard that trusts some keys makes of a profile. */
    public enum Check {
        /** Signed by a trusted key, and unchanged since. */
        VALID("valid"),
        /** No signature. */
        UNSIGNED("unsigned"),
        /** Signed by a key the guard does not trust. */
        UNKNOWN_KEY("unknown-key"),
        /** Signed with a trusted key id, but the signature does not match the content (altered or forged). */
        BAD_SIGNATURE("bad-signature");

        private final String reason;

        Check(String reason) {
            this.reason = reason;
        }

        /** The short reason for refusals and metrics. */
        public String reason() {
            return reason;
        }
    }

    /** The bytes a signature covers. */
    public static byte[] canonicalBytes(GuardProfile profile) {
        org.ncguard.avro.GuardProfile record = ProfileAvro.toAvro(profile.withSignature(null));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(PREFIX);
        try {
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<>(org.ncguard.avro.GuardProfile.class).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The id of a public key: the first 16 hex digits of the SHA-256 of its X.509 encoding. */
    public static String keyId(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /**
     * The profile signed with {@code key} (any signature it had is replaced).
     *
     * @param key an Ed25519 private key ({@link ProfileKeys#readPrivate})
     * @throws IllegalArgumentException when it is not an Ed25519 private key
     */
    public static GuardProfile sign(GuardProfile profile, PrivateKey key) {
        String keyId = keyId(ProfileKeys.publicOf(key));
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(key);
            s.update(canonicalBytes(profile));
            String value = Base64.getEncoder().encodeToString(s.sign());
            return profile.withSignature(new ProfileSignature(keyId, ALGORITHM, value));
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("not an Ed25519 private key: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot sign with " + ALGORITHM + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code profile} is signed by {@code key} and unchanged since. */
    public static boolean verify(GuardProfile profile, PublicKey key) {
        ProfileSignature sig = profile.signature();
        if (sig == null || !ALGORITHM.equals(sig.algorithm()) || !keyId(key).equals(sig.keyId())) {
            return false;
        }
        byte[] value;
        try {
            value = Base64.getDecoder().decode(sig.value());
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(canonicalBytes(profile));
            return s.verify(value);
        } catch (InvalidKeyException e) {
            return false;
        } catch (SignatureException malformed) {
            return false;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK cannot verify " + ALGORITHM + ": " + e.getMessage(), e);
        }
    }

    /** What a guard trusting {@code trusted} makes of {@code profile}. */
    public static Check check(GuardProfile profile, Collection<PublicKey> trusted) {
        ProfileSignature sig = profile.signature();
        if (sig == null) {
            return Check.UNSIGNED;
        }
        PublicKey key = trusted.stream().filter(k -> keyId(k).equals(sig.keyId())).findFirst().orElse(null);
        if (key == null) {
            return Check.UNKNOWN_KEY;
        }
        return verify(profile, key) ? Check.VALID : Check.BAD_SIGNATURE;
    }
}
