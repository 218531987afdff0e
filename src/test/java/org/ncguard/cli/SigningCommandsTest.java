package org.ncguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;
import org.ncguard.engine.OnnxBuilder;
import org.ncguard.engine.OnnxModel;
import org.ncguard.profile.GuardProfile;
import org.ncguard.profile.InputSpec;
import org.ncguard.profile.LabelProfile;
import org.ncguard.profile.PenultimateLayer;
import org.ncguard.profile.ProfileJson;
import org.ncguard.profile.ProfileKeys;
import org.ncguard.profile.ProfileSignatures;
import org.ncguard.profile.Roc;
import org.ncguard.profile.RocCurve;

/** {@code keygen}, and the key options of {@code profile}, {@code publish-profile} and {@code serve}: no broker. */
class SigningCommandsTest {

    @TempDir
    Path dir;

    @Test
    void keygenWritesAKeyPairThatSignsAndVerifies() throws Exception {
        CliRun run = CliRun.of("keygen", "--out", dir.resolve("ops").toString());
        assertEquals(0, run.exitCode(), run.err());
        Path key = dir.resolve("ops.key");
        Path pub = dir.resolve("ops.pub");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        String keyId = ProfileSignatures.keyId(ProfileKeys.readPublic(pub));
        assertTrue(run.out().contains(keyId), run.out());
        assertFalse(run.out().contains("PRIVATE KEY"), "the private key is not printed");
        GuardProfile p = ProfileJson.fromBytes("p.json", ProfileJson.toBytes(
                org.ncguard.profile.ProfileSamples.profile()));
        assertTrue(ProfileSignatures.verify(ProfileSignatures.sign(p, ProfileKeys.readPrivate(key)),
                ProfileKeys.readPublic(pub)));
    }

    @Test
    void keygenNeverOverwrites() throws Exception {
        assertEquals(0, CliRun.of("keygen", "--out", dir.resolve("ops").toString()).exitCode());
        String before = Files.readString(dir.resolve("ops.key"));
        CliRun again = CliRun.of("keygen", "--out", dir.resolve("ops").toString());
        assertEquals(Main.USAGE_ERROR, again.exitCode());
        assertTrue(again.err().contains("already exists"), again.err());
        assertEquals(1, again.err().strip().lines().count(), again.err());
        assertEquals(before, Files.readString(dir.resolve("ops.key")));
    }

    @Test
    void badKeyFilesAreOneLineErrorsBeforeAnyWork() throws Exception {
        assertEquals(0, CliRun.of("keygen", "--out", dir.resolve("ops").toString()).exitCode());
        Path profile = dir.resolve("p.json");
        Files.write(profile, ProfileJson.toBytes(org.ncguard.profile.ProfileSamples.profile()));
        List<CliRun> runs = List.of(
                CliRun.of("serve", "--bootstrap", "localhost:1", "--model", "m=" + dir.resolve("none.onnx"),
                        "--trust-key", dir.resolve("ops.key").toString()),
                CliRun.of("serve", "--bootstrap", "localhost:1", "--model", "m=" + dir.resolve("none.onnx"),
                        "--trust-key", dir.resolve("missing.pub").toString()),
                CliRun.of("publish-profile", "--bootstrap", "localhost:1", "--profile", profile.toString(),
                        "--sign-key", dir.resolve("ops.pub").toString()),
                CliRun.of("profile", "--model", dir.resolve("none.onnx").toString(), "--scan", dir.toString(),
                        "--data", "mnist", "--out", dir.resolve("out.json").toString(),
                        "--sign-key", dir.resolve("missing.key").toString()));
        for (CliRun r : runs) {
            assertEquals(Main.USAGE_ERROR, r.exitCode(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains(".key") || r.err().contains(".pub"), r.err());
        }
        assertTrue(runs.get(0).err().contains("public key"), runs.get(0).err());
        assertTrue(runs.get(1).err().contains("not found"), runs.get(1).err());
        assertTrue(runs.get(2).err().contains("private key"), runs.get(2).err());
        assertFalse(Files.exists(dir.resolve("out.json")));
    }

    @Test
    void serveWithATrustKeyRefusesAnUnsignedProfileFileAndTakesASignedOne() throws Exception {
        Path modelFile = dir.resolve("m.onnx");
        OnnxBuilder.image(new ImageShape(1, 8, 8, Layout.NCHW), 13, 3).conv(2, 3, 1, 1).relu().view().dense(4)
                .relu().dense(3).write(modelFile);
        OnnxModel m = OnnxModel.load(modelFile);
        GuardProfile p = new GuardProfile(1, "cli-profile", "2026-01-01T00:00:00Z", m.sha256(), 3,
                new PenultimateLayer(m.penultimate().tensor(), m.penultimate().size()),
                new InputSpec(m.input().name(), "NCHW", 1, 8, 8, 1f / 255f, new float[] {0}, new float[] {1}),
                0.05, "ncguard", List.of(new LabelProfile(2, new int[] {0}, new float[] {1}, new float[] {0},
                        new float[] {1}, 0.5, new float[] {1}, 0, 1, new Roc(new RocCurve(0.9, List.of()), null))),
                null, Map.of(), null);
        assertEquals(0, CliRun.of("keygen", "--out", dir.resolve("ops").toString()).exitCode());
        Path unsigned = dir.resolve("unsigned.json");
        Files.write(unsigned, ProfileJson.toBytes(p));
        Path signed = dir.resolve("signed.json");
        Files.write(signed, ProfileJson.toBytes(ProfileSignatures.sign(p,
                ProfileKeys.readPrivate(dir.resolve("ops.key")))));
        Path quick = dir.resolve("quick.properties");
        Files.writeString(quick, "default.api.timeout.ms=1500\nrequest.timeout.ms=1000\n");
        String pub = dir.resolve("ops.pub").toString();

        CliRun refused = CliRun.of("serve", "--bootstrap", "localhost:1", "--model", "a=" + modelFile,
                "--profile", unsigned.toString(), "--trust-key", pub, "--config", quick.toString());
        assertEquals(Main.USAGE_ERROR, refused.exitCode(), refused.err());
        assertTrue(refused.err().contains("cli-profile") && refused.err().contains("is unsigned"), refused.err());
        assertEquals(1, refused.err().strip().lines().count(), refused.err());

        // Signed: the profile passes, and serve goes on to the (absent) broker.
        CliRun taken = CliRun.of("serve", "--bootstrap", "localhost:1", "--model", "a=" + modelFile,
                "--profile", signed.toString(), "--trust-key", pub, "--config", quick.toString());
        assertEquals(Main.USAGE_ERROR, taken.exitCode(), taken.err());
        assertFalse(taken.err().contains("unsigned") || taken.err().contains("signature"), taken.err());
        assertTrue(taken.err().contains("localhost:1"), taken.err());
    }
}
