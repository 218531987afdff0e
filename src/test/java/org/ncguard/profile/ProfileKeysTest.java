package org.ncguard.profile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.NcguardException;

class ProfileKeysTest {

    @TempDir
    Path dir;

    @Test
    void keyFilesRoundTripAndSignAlike() throws Exception {
        KeyPair written = ProfileKeys.writeNew(dir.resolve("ops"));
        Path key = dir.resolve("ops.key");
        Path pub = dir.resolve("ops.pub");
        assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----\n"));
        assertTrue(Files.readString(pub).startsWith("-----BEGIN PUBLIC KEY-----\n"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals(written.getPublic(), ProfileKeys.readPublic(pub));
        assertArrayEquals(written.getPrivate().getEncoded(), ProfileKeys.readPrivate(key).getEncoded());
        GuardProfile signed = ProfileSignatures.sign(ProfileSignaturesTest.profile(), ProfileKeys.readPrivate(key));
        assertTrue(ProfileSignatures.verify(signed, ProfileKeys.readPublic(pub)));
    }

    @Test
    void existingKeysAreNeverOverwritten() throws Exception {
        ProfileKeys.writeNew(dir.resolve("ops"));
        String before = Files.readString(dir.resolve("ops.key"));
        NcguardException e = assertThrows(NcguardException.class, () -> ProfileKeys.writeNew(dir.resolve("ops")));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        assertEquals(before, Files.readString(dir.resolve("ops.key")));
        Files.writeString(dir.resolve("half.pub"), "x");
        assertThrows(NcguardException.class, () -> ProfileKeys.writeNew(dir.resolve("half")));
        assertFalse(Files.exists(dir.resolve("half.key")), "nothing written when either file exists");
    }

    @Test
    void badKeyFilesAreOneLineErrorsNamingTheFile() throws Exception {
        ProfileKeys.writeNew(dir.resolve("ops"));
        Path garbage = Files.writeString(dir.resolve("garbage.key"), "hello\n");
        Path damaged = Files.writeString(dir.resolve("damaged.key"),
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        Path rsaLike = Files.writeString(dir.resolve("rsa.key"),
                "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        List<Path> privates = List.of(dir.resolve("missing.key"), garbage, damaged, rsaLike, dir.resolve("ops.pub"));
        for (Path p : privates) {
            NcguardException e = assertThrows(NcguardException.class, () -> ProfileKeys.readPrivate(p), p.toString());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertTrue(e.getMessage().contains(p.getFileName().toString()), e.getMessage());
        }
        NcguardException swapped = assertThrows(NcguardException.class,
                () -> ProfileKeys.readPublic(dir.resolve("ops.key")));
        assertTrue(swapped.getMessage().contains("public key"), swapped.getMessage());
        assertFalse(swapped.getMessage().contains("\n"));
    }
}
