package org.ncguard.guard.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;
import org.ncguard.profile.GuardProfile;
import org.ncguard.profile.ProfileAvro;
import org.ncguard.profile.ProfileKeys;
import org.ncguard.profile.ProfileSamples;
import org.ncguard.profile.ProfileSignatures;

/** Profiles on the topic from publishers of before signatures still decode, as unsigned. */
class ProfileSerdeCompatibilityTest {

    @Test
    void profileRecordWrittenWithTheUnsignedSchemaDecodesAsUnsigned() throws Exception {
        Schema unsigned;
        try (InputStream in = getClass().getResourceAsStream("GuardProfile-unsigned.avsc")) {
            unsigned = new Schema.Parser().parse(in);
        }
        assertFalse(unsigned.toString().contains("signature"));
        assertNotEquals(SchemaNormalization.parsingFingerprint64(unsigned),
                SchemaNormalization.parsingFingerprint64(org.ncguard.avro.GuardProfile.getClassSchema()));
        GuardProfile p = ProfileSamples.profile();
        ByteBuffer old = new BinaryMessageEncoder<org.ncguard.avro.GuardProfile>(SpecificData.get(), unsigned)
                .encode(ProfileAvro.toAvro(p));
        byte[] bytes = new byte[old.remaining()];
        old.get(bytes);

        GuardProfile back = ProfileAvro.fromAvro(GuardSerdes.singleObject().profiles().deserializer()
                .deserialize("guard.profiles", bytes));
        assertNull(back.signature());
        assertEquals(p, back);
    }

    @Test
    void signedProfileRecordKeepsItsSignature() throws Exception {
        KeyPair key = ProfileKeys.generate();
        GuardProfile signed = ProfileSignatures.sign(ProfileSamples.profile(), key.getPrivate());
        GuardSerdes serdes = GuardSerdes.singleObject();
        byte[] bytes = serdes.profiles().serializer().serialize("guard.profiles", ProfileAvro.toAvro(signed));
        GuardProfile back = ProfileAvro.fromAvro(serdes.profiles().deserializer().deserialize("guard.profiles", bytes));
        assertEquals(signed, back);
        assertTrue(ProfileSignatures.verify(back, key.getPublic()));
    }
}
