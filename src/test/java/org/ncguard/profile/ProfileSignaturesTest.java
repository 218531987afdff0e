package org.ncguard.profile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ProfileSignaturesTest {

    static final KeyPair KEY = ProfileKeys.generate();
    static final KeyPair OTHER = ProfileKeys.generate();

    static GuardProfile profile() {
        return GuardProfileTest.profile(List.of(GuardProfileTest.label(7, 3), GuardProfileTest.label(2, 1)));
    }

    /** A copy with every component as given by {@code p}, for changing one. */
    static GuardProfile copy(GuardProfile p, UnaryOperator<Object[]> change) {
        Object[] c = {p.formatVersion(), p.profileId(), p.createdAt(), p.modelSha256(), p.labelsCount(),
                p.penultimate(), p.input(), p.fpr(), p.score(), p.labels(), p.scan(), p.versions(), p.signature()};
        c = change.apply(c);
        @SuppressWarnings("unchecked")
        GuardProfile out = new GuardProfile((int) c[0], (String) c[1], (String) c[2], (String) c[3], (int) c[4],
                (PenultimateLayer) c[5], (InputSpec) c[6], (double) c[7], (String) c[8], (List<LabelProfile>) c[9],
                (ScanSource) c[10], (Map<String, String>) c[11], (ProfileSignature) c[12]);
        return out;
    }

    static UnaryOperator<Object[]> set(int index, Object value) {
        return c -> {
            c[index] = value;
            return c;
        };
    }

    @Test
    void signedProfileVerifiesWithItsKeyOnly() {
        GuardProfile signed = ProfileSignatures.sign(profile(), KEY.getPrivate());
        assertTrue(ProfileSignatures.verify(signed, KEY.getPublic()));
        assertFalse(ProfileSignatures.verify(signed, OTHER.getPublic()));
        assertEquals(ProfileSignatures.keyId(KEY.getPublic()), signed.signature().keyId());
        assertEquals(16, signed.signature().keyId().length());
        assertEquals("Ed25519", signed.signature().algorithm());
        assertEquals(profile(), signed.withSignature(null), "signing changes nothing but the signature");
        assertEquals(ProfileSignatures.Check.VALID, ProfileSignatures.check(signed, List.of(OTHER.getPublic(),
                KEY.getPublic())));
    }

    @Test
    void changingAnyFieldBreaksTheSignature() {
        GuardProfile signed = ProfileSignatures.sign(profile(), KEY.getPrivate());
        LabelProfile l = signed.labels().get(0);
        LabelProfile lenient = new LabelProfile(l.label(), l.neurons(), l.weights(), l.center(), l.scale(),
                l.threshold() + 1e-9, l.gaps(), l.cleanMean(), l.cleanStd(), l.roc());
        float[] w = l.weights();
        w[0] = Math.nextUp(w[0]);
        LabelProfile reweighted = new LabelProfile(l.label(), l.neurons(), w, l.center(), l.scale(), l.threshold(),
                l.gaps(), l.cleanMean(), l.cleanStd(), l.roc());
        InputSpec in = signed.input();
        Map<String, String> versions = new LinkedHashMap<>(signed.versions());
        versions.put("extra", "1");
        List<GuardProfile> altered = List.of(
                copy(signed, set(1, "p-2")),
                copy(signed, set(2, "2030-01-01T00:00:00Z")),
                copy(signed, set(3, "ef".repeat(32))),
                copy(signed, set(4, 11)),
                copy(signed, set(5, new PenultimateLayer("other", 4))),
                copy(signed, set(6, new InputSpec(in.name(), in.layout(), 1, 28, 28, in.scale(), new float[] {0.5f},
                        in.std()))),
                copy(signed, set(7, 0.5)),
                copy(signed, set(8, "paper")),
                copy(signed, set(9, List.of(lenient, signed.labels().get(1)))),
                copy(signed, set(9, List.of(reweighted, signed.labels().get(1)))),
                copy(signed, set(9, List.of(signed.labels().get(0)))),
                copy(signed, set(9, List.of())),
                copy(signed, set(10, null)),
                copy(signed, set(11, versions)));
        for (GuardProfile p : altered) {
            assertEquals(signed.signature(), p.signature());
            assertFalse(ProfileSignatures.verify(p, KEY.getPublic()), p.toString());
            assertEquals(ProfileSignatures.Check.BAD_SIGNATURE, ProfileSignatures.check(p, List.of(KEY.getPublic())));
        }
    }

    @Test
    void unsignedOtherKeyAndDamagedSignaturesAreToldApart() {
        GuardProfile signed = ProfileSignatures.sign(profile(), KEY.getPrivate());
        List<java.security.PublicKey> trusted = List.of(KEY.getPublic());
        assertEquals(ProfileSignatures.Check.UNSIGNED, ProfileSignatures.check(profile(), trusted));
        assertEquals(ProfileSignatures.Check.UNKNOWN_KEY,
                ProfileSignatures.check(ProfileSignatures.sign(profile(), OTHER.getPrivate()), trusted));
        ProfileSignature s = signed.signature();
        // The other key's signature under the trusted key's id: a forgery.
        String forged = ProfileSignatures.sign(profile(), OTHER.getPrivate()).signature().value();
        for (ProfileSignature bad : List.of(new ProfileSignature(s.keyId(), s.algorithm(), forged),
                new ProfileSignature(s.keyId(), s.algorithm(), "not base64!"),
                new ProfileSignature(s.keyId(), s.algorithm(), "AAAA"),
                new ProfileSignature(s.keyId(), "RSA", s.value()))) {
            assertEquals(ProfileSignatures.Check.BAD_SIGNATURE, ProfileSignatures.check(signed.withSignature(bad),
                    trusted), bad.toString());
        }
        assertEquals(List.of("valid", "unsigned", "unknown-key", "bad-signature"),
                List.of(ProfileSignatures.Check.values()).stream().map(ProfileSignatures.Check::reason).toList());
    }

    @Test
    void jsonRoundTripKeepsTheSignatureValid() throws Exception {
        GuardProfile signed = ProfileSignatures.sign(profile(), KEY.getPrivate());
        byte[] json = ProfileJson.toBytes(signed);
        assertTrue(new String(json, StandardCharsets.UTF_8).contains("\"signature\""));
        GuardProfile back = ProfileJson.fromBytes("p.json", json);
        assertEquals(signed, back);
        assertTrue(ProfileSignatures.verify(back, KEY.getPublic()));
    }

    @Test
    void avroRoundTripKeepsTheSignatureValid() throws Exception {
        GuardProfile signed = ProfileSignatures.sign(profile(), KEY.getPrivate());
        ByteBuffer bytes = org.ncguard.avro.GuardProfile.getEncoder().encode(ProfileAvro.toAvro(signed));
        GuardProfile back = ProfileAvro.fromAvro(org.ncguard.avro.GuardProfile.getDecoder().decode(bytes));
        assertEquals(signed, back);
        assertTrue(ProfileSignatures.verify(back, KEY.getPublic()));
        // and across the forms: signed as JSON, checked as Avro
        GuardProfile viaJson = ProfileJson.fromBytes("p.json", ProfileJson.toBytes(back));
        assertArrayEquals(ProfileSignatures.canonicalBytes(signed), ProfileSignatures.canonicalBytes(viaJson));
    }

    @Test
    void canonicalBytesDoNotDependOnMapOrder() {
        Map<String, String> ab = new LinkedHashMap<>();
        Map<String, String> ba = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            ab.put("k" + i, "v" + i);
            ba.put("k" + (19 - i), "v" + (19 - i));
        }
        assertArrayEquals(ProfileSignatures.canonicalBytes(copy(profile(), set(11, ab))),
                ProfileSignatures.canonicalBytes(copy(profile(), set(11, ba))));
        GuardProfile signed = ProfileSignatures.sign(copy(profile(), set(11, ab)), KEY.getPrivate());
        assertTrue(ProfileSignatures.verify(copy(signed, set(11, ba)), KEY.getPublic()));
    }

    @Test
    void profileJsonWithoutSignatureReadsAsUnsigned() throws Exception {
        String json = new String(ProfileJson.toBytes(profile()), StandardCharsets.UTF_8)
                .replaceAll(",\\s*\"signature\"\\s*:\\s*null", "");
        assertFalse(json.contains("signature"), json);
        GuardProfile p = ProfileJson.fromBytes("old.json", json.getBytes(StandardCharsets.UTF_8));
        assertNull(p.signature());
        assertEquals(profile(), p);
    }

    @Test
    void publicKeyIsDerivedFromThePrivateKey() {
        assertEquals(KEY.getPublic(), ProfileKeys.publicOf(KEY.getPrivate()));
        assertEquals(OTHER.getPublic(), ProfileKeys.publicOf(OTHER.getPrivate()));
    }
}
