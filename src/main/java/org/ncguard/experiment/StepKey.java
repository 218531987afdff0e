package org.ncguard.experiment;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The cache key of a step: the first 8 hex digits of the SHA-256 of its settings, as the detection benchmark keys its
 * models. A step run with other settings gets another key, so a changed option never reads back a stale result.
 */
final class StepKey {

    private StepKey() {
    }

    static String of(String... settings) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(String.join(",", settings).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
