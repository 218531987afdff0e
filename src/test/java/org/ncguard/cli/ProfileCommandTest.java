package org.ncguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;
import org.ncguard.engine.OnnxBuilder;
import org.ncguard.engine.OnnxModel;
import org.ncguard.profile.GuardProfile;
import org.ncguard.profile.LabelProfile;
import org.ncguard.profile.ProfileJson;

/**
 * A BadNets lab model end to end through the CLI: attack, scan of its target, profile, with the profile's quality bar
 * checked at a smaller size (43 drawn sign classes, 2400 training images).
 */
class ProfileCommandTest {

    private static final String TRIGGER = "square:4:white:bottom-right";
    private static final int TARGET = 3;
    private static final String CLEAN = "builtin:signs:test?n=1800&seed=7";

    @TempDir
    static Path dir;

    static Path model;
    static Path scan;

    @BeforeAll
    static void infectedModelAndItsScan() {
        model = dir.resolve("infected.onnx");
        CliRun attack = CliRun.of("attack", "--arch", "mnist", "--data", "builtin:signs?n=2400", "--test-data",
                "builtin:signs:test?n=258", "--trigger", TRIGGER, "--target", String.valueOf(TARGET), "--epochs", "4",
                "--poison-ratio", "0.2", "--seed", "5", "--threads", "1", "--out", model.toString());
        assertEquals(0, attack.exitCode(), attack.err());
        scan = dir.resolve("scan");
        CliRun run = CliRun.of("scan", "--model", model.toString(), "--data", "builtin:signs:test?n=300",
                "--samples", "128", "--max-steps", "60", "--labels", "2," + TARGET, "--threads", "1",
                "--out", scan.toString());
        assertEquals(0, run.exitCode(), run.err());
    }

    @Test
    void profileOfTheTargetCatchesTheRealTriggerAtTheAskedFalsePositiveRate() throws Exception {
        Path out = dir.resolve("profile.json");
        CliRun run = CliRun.of("profile", "--model", model.toString(), "--scan", scan.toString(), "--data", CLEAN,
                "--samples", "1800", "--labels", String.valueOf(TARGET), "--trigger", TRIGGER, "--target",
                String.valueOf(TARGET), "--threads", "1", "--json", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        GuardProfile profile = ProfileJson.read(out);
        assertEquals(OnnxModel.load(model).sha256(), profile.modelSha256());
        assertEquals("ncguard", profile.score());
        assertEquals(1, profile.labels().size());
        LabelProfile label = profile.labels().get(0);
        assertEquals(TARGET, label.label());
        assertEquals(Math.min(100, profile.penultimate().size()), label.neurons().length);
        assertTrue(label.roc().real() != null, "the real trigger was measured");
        double fnr = label.roc().real().fnrAt(0.05);
        assertTrue(fnr < 0.03, "FNR at 5% FPR with the real trigger: " + fnr);
        assertEquals(scan.toString(), profile.scan().path());
        assertEquals(64, profile.scan().sha256().length());

        JsonNode figures = new ObjectMapper().readTree(run.out());
        boolean paperMeasured = false;
        for (JsonNode f : figures.get("figures")) {
            double heldOut = f.get("heldOutFpr").asDouble();
            assertTrue(Math.abs(heldOut - 0.05) <= 0.02, f.get("score") + " held-out FPR " + heldOut);
            paperMeasured |= f.get("score").asText().equals("paper");
        }
        assertTrue(paperMeasured, "the paper's filter is measured beside ncguard's");

        String page = Files.readString(dir.resolve("profile.html"));
        assertTrue(page.contains("GUARDING LABEL 3"), "verdict box");
        assertTrue(page.contains("data-series=\"ncguard, real trigger\""), "ROC curve of the real trigger");
        assertTrue(page.contains("data-series=\"paper, reversed trigger\""), "ROC curve of the paper's filter");
    }

    @Test
    void cleanScanGivesAProfileWithNoLabels() throws Exception {
        // The two-label scan flags nothing: the profile is empty, and still a valid profile for the guard.
        Path out = dir.resolve("clean-profile.json");
        CliRun run = CliRun.of("profile", "--model", model.toString(), "--scan", scan.toString(), "--data", CLEAN,
                "--samples", "300", "--threads", "1", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("the profile has no labels"), run.out());
        GuardProfile profile = ProfileJson.read(out);
        assertTrue(profile.clean());
        assertTrue(Files.readString(dir.resolve("clean-profile.html")).contains("NOTHING TO GUARD"));
    }

    @Test
    void signKeySignsTheProfileItWrites() throws Exception {
        assertEquals(0, CliRun.of("keygen", "--out", dir.resolve("ops").toString()).exitCode());
        Path out = dir.resolve("signed-profile.json");
        CliRun run = CliRun.of("profile", "--model", model.toString(), "--scan", scan.toString(), "--data", CLEAN,
                "--samples", "300", "--threads", "1", "--sign-key", dir.resolve("ops.key").toString(),
                "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        java.security.PublicKey pub = org.ncguard.profile.ProfileKeys.readPublic(dir.resolve("ops.pub"));
        assertTrue(run.out().contains("signed by key " + org.ncguard.profile.ProfileSignatures.keyId(pub)),
                run.out());
        GuardProfile profile = ProfileJson.read(out);
        assertTrue(org.ncguard.profile.ProfileSignatures.verify(profile, pub));
    }

    @Test
    void scanOfAnotherModelIsRefused() throws Exception {
        Path other = dir.resolve("other.onnx");
        OnnxBuilder.image(new ImageShape(3, 32, 32, Layout.NCHW), 13, 4)
                .conv(4, 3, 2, 1).relu().maxPool(2).view().dense(16).relu().dense(43).write(other);
        Path out = dir.resolve("other.json");
        CliRun run = CliRun.of("profile", "--model", other.toString(), "--scan", scan.toString(), "--data", CLEAN,
                "--out", out.toString());
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("is of another model"), run.err());
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void incompleteScanIsRefused() throws Exception {
        Path partial = dir.resolve("partial-scan");
        Files.createDirectories(partial.resolve("triggers"));
        Files.writeString(partial.resolve("scan.json"), Files.readString(scan.resolve("scan.json"))
                .replace("\"complete\" : true", "\"complete\" : false"));
        CliRun run = CliRun.of("profile", "--model", model.toString(), "--scan", partial.toString(), "--data", CLEAN,
                "--out", dir.resolve("partial.json").toString());
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("is incomplete") && run.err().contains("--resume"), run.err());
        assertFalse(Files.exists(dir.resolve("partial.json")));
    }

    @Test
    void badInputIsOneLineAndExitCode2() {
        Path out = dir.resolve("never.json");
        String[][] cases = {
            {"the model itself", "--out", "MODEL"},
            {"--trigger needs --target", "--trigger", TRIGGER, "--out", out.toString()},
            {"fpr must be in (0, 1)", "--fpr", "1.5", "--out", out.toString()},
            {"unknown score 'mean'", "--score", "mean", "--out", out.toString()},
            {"no reversed trigger for label 7", "--labels", "7", "--out", out.toString()},
            {"image size mismatch", "--data", "builtin:fashion-mnist:test?n=90", "--labels", "3",
                "--out", out.toString()},
        };
        for (String[] c : cases) {
            List<String> args = new ArrayList<>(List.of("profile", "--model", model.toString(), "--scan",
                    scan.toString(), "--threads=1"));
            for (int i = 1; i < c.length; i++) {
                args.add(c[i].equals("MODEL") ? model.toString() : c[i]);
            }
            if (!args.contains("--data")) {
                args.addAll(List.of("--data", CLEAN));
            }
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertEquals(2, run.exitCode(), c[0] + ": " + run.err());
            assertTrue(run.err().contains(c[0]), "expected '" + c[0] + "' in: " + run.err());
            assertEquals(1, run.err().strip().lines().count(), run.err());
        }
        assertFalse(Files.exists(out));
    }
}
