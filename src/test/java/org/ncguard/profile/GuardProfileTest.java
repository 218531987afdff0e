package org.ncguard.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuardProfileTest {

    static final String SHA = "ab".repeat(32);

    static LabelProfile label(int label, double threshold) {
        RocCurve curve = new RocCurve(0.98, List.of(new RocCurve.Point(0.01, 0.2), new RocCurve.Point(0.05, 0.02)));
        return new LabelProfile(label, new int[] {3, 1}, new float[] {2, 1}, new float[] {1, 0}, new float[] {0.5f, 1},
                threshold, new float[] {4, 1}, 0.1, 1.5, new Roc(curve, null));
    }

    static GuardProfile profile(List<LabelProfile> labels) {
        return new GuardProfile(GuardProfile.FORMAT_VERSION, "p-1", "2026-11-29T10:00:00Z", SHA, 10,
                new PenultimateLayer("/Relu_2_output_0", 4),
                new InputSpec("input", "NCHW", 1, 28, 28, 1 / 255f, new float[] {0}, new float[] {1}),
                0.05, "ncguard", labels, new ScanSource("scan-x", "infected", "cd".repeat(32)), Map.of("ncguard", "dev"),
                null);
    }

    @Test
    void scoreIsTheLinearFormOverItsNeurons() {
        LabelProfile l = label(7, 3);
        // 2 * (a[3] - 1) / 0.5 + 1 * (a[1] - 0) / 1
        assertEquals(2 * (2 - 1) / 0.5 + 1 * 0.5, l.score(new float[] {9, 0.5f, 9, 2}), 1e-9);
        assertTrue(l.suspicious(3.01));
        assertFalse(l.suspicious(3.0));
    }

    @Test
    void mostSuspiciousLabelIsTheOneFurthestAboveItsThreshold() {
        GuardProfile p = profile(List.of(label(2, 10), label(7, 1)));
        float[] a = {0, 1, 0, 3}; // score 2 * 2 / 0.5 + 1 = 9 for both labels
        GuardProfile.Suspicion s = p.mostSuspicious(a).orElseThrow();
        assertEquals(7, s.label().label());
        assertTrue(s.suspicious());
        assertFalse(profile(List.of(label(2, 10))).mostSuspicious(a).orElseThrow().suspicious());
        assertTrue(profile(List.of()).mostSuspicious(a).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> p.mostSuspicious(new float[3]));
    }

    @Test
    void jsonRoundTripKeepsEveryField(@TempDir Path dir) throws Exception {
        GuardProfile p = profile(List.of(label(7, 3)));
        Path file = dir.resolve("profile.json");
        Files.write(file, ProfileJson.toBytes(p));
        GuardProfile back = ProfileJson.read(file);
        assertEquals(p, back);
        String json = Files.readString(file);
        for (String field : List.of("formatVersion", "profileId", "createdAt", "modelSha256", "labelsCount",
                "penultimate", "input", "fpr", "score", "labels", "neurons", "weights", "center", "scale", "threshold",
                "gaps", "cleanMean", "cleanStd", "roc", "reversed", "real", "auc", "points", "scan", "versions",
                "signature")) {
            assertTrue(json.contains("\"" + field + "\""), field + " missing from " + json);
        }
    }

    @Test
    void avroRecordCarriesTheSameContent() throws Exception {
        GuardProfile p = profile(List.of(label(7, 3), label(2, 1)));
        ByteBuffer bytes = org.ncguard.avro.GuardProfile.getEncoder().encode(ProfileAvro.toAvro(p));
        GuardProfile back = ProfileAvro.fromAvro(org.ncguard.avro.GuardProfile.getDecoder().decode(bytes));
        assertEquals(p, back);
        assertEquals(profile(List.of()), ProfileAvro.fromAvro(ProfileAvro.toAvro(profile(List.of()))));
    }

    @Test
    void refusesContradictoryProfiles() {
        assertThrows(IllegalArgumentException.class, () -> new GuardProfile(1, "p", "t", SHA, 10,
                new PenultimateLayer("x", 2), profile(List.of()).input(), 0.05, "ncguard", List.of(label(7, 3)),
                null, null, null), "neuron 3 on a layer of 2");
        assertThrows(IllegalArgumentException.class, () -> profile(List.of(label(7, 3), label(7, 2))));
        assertThrows(IllegalArgumentException.class, () -> profile(List.of(label(10, 3))));
        assertThrows(IllegalArgumentException.class, () -> new LabelProfile(1, new int[] {0, 1}, new float[] {1},
                new float[] {0, 0}, new float[] {1, 1}, 0, new float[] {1, 1}, 0, 0, label(1, 0).roc()));
        assertThrows(IllegalArgumentException.class, () -> new LabelProfile(1, new int[] {0}, new float[] {1},
                new float[] {0}, new float[] {0}, 0, new float[] {1}, 0, 0, label(1, 0).roc()));
    }

    @Test
    void unreadableFilesAreOneLineErrors(@TempDir Path dir) throws Exception {
        InvalidProfileException missing = assertThrows(InvalidProfileException.class,
                () -> ProfileJson.read(dir.resolve("nope.json")));
        assertTrue(missing.getMessage().contains("not found"), missing.getMessage());
        InvalidProfileException garbage = assertThrows(InvalidProfileException.class,
                () -> ProfileJson.fromBytes("x.json", "{\"formatVersion\": 1".getBytes(StandardCharsets.UTF_8)));
        assertFalse(garbage.getMessage().contains("\n"), garbage.getMessage());
        String wrongSha = new String(ProfileJson.toBytes(profile(List.of())), StandardCharsets.UTF_8)
                .replace(SHA, "xyz");
        InvalidProfileException bad = assertThrows(InvalidProfileException.class,
                () -> ProfileJson.fromBytes("y.json", wrongSha.getBytes(StandardCharsets.UTF_8)));
        assertTrue(bad.getMessage().contains("modelSha256"), bad.getMessage());
    }
}
