package org.ncguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.testing.ImageFixtures;
import org.ncguard.testing.ModelFixtures;

class EvaluateCommandTest {

    @TempDir
    Path dir;

    @Test
    void jsonWithoutTriggerHasAccuracyAndNullAttackSuccess() throws Exception {
        Path model = ModelFixtures.mnist(dir, 13);
        Path images = ImageFixtures.idxSet(dir, "test", 50, 28, 50);
        CliRun run = CliRun.of("evaluate", "--model", model.toString(), "--data", images.toString(), "--json",
                "--threads", "1");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertEquals(50, json.get("samples").asInt());
        double accuracy = json.get("accuracy").asDouble();
        assertTrue(accuracy >= 0 && accuracy <= 1, run.out());
        assertEquals(json.get("correct").asInt() / 50.0, accuracy, 1e-12);
        assertTrue(json.get("attackSuccess").isNull(), run.out());
    }

    @Test
    void jsonWithTriggerCountsOnlyImagesOfOtherLabels() throws Exception {
        Path model = ModelFixtures.gtsrb(dir);
        CliRun run = CliRun.of("evaluate", "--model", model.toString(), "--data", "builtin:signs:test?n=86",
                "--trigger", "checker:5:top-left", "--target", "42", "--json", "--threads", "1");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertEquals(86, json.get("samples").asInt());
        assertEquals(84, json.get("attackSamples").asInt(), "2 images have the target label");
        double asr = json.get("attackSuccess").asDouble();
        assertTrue(asr >= 0 && asr <= 1, run.out());
        assertEquals("checker:5:top-left", json.get("trigger").asText());
    }

    @Test
    void textOutputShowsAccuracyAndAttackSuccess() throws Exception {
        Path model = ModelFixtures.mnist(dir, 13);
        Path images = ImageFixtures.idxSet(dir, "test", 20, 28, 20);
        CliRun run = CliRun.of("evaluate", "--model", model.toString(), "--data", images.toString(),
                "--trigger", "square:4", "--target", "0", "--threads", "1");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("accuracy"), run.out());
        assertTrue(run.out().contains("of 18 stamped images"), run.out());
    }

    @Test
    void imagesOfAnotherSizeThanTheModelAreRejected() throws Exception {
        Path model = ModelFixtures.mnist(dir, 13);
        expectError("image size mismatch", "--model", model.toString(), "--data", "builtin:signs:test?n=43");
    }

    @Test
    void targetOutOfRangeIsRejected() throws Exception {
        Path model = ModelFixtures.mnist(dir, 13);
        Path images = ImageFixtures.idxSet(dir, "test", 20, 28, 20);
        expectError("target label 10 is out of range", "--model", model.toString(), "--data", images.toString(),
                "--trigger", "square:4", "--target", "10");
    }

    @Test
    void triggerLargerThanTheImageIsRejected() throws Exception {
        Path model = ModelFixtures.mnist(dir, 13);
        Path images = ImageFixtures.idxSet(dir, "test", 20, 28, 20);
        expectError("is larger than the image", "--model", model.toString(), "--data", images.toString(),
                "--trigger", "square:28", "--target", "1");
    }

    @Test
    void labelsFileWithAnotherCountIsRejected() throws Exception {
        Path model = ModelFixtures.mnist(dir, 13);
        Path images = ImageFixtures.idxSet(dir, "test", 20, 28, 19);
        expectError("count mismatch", "--model", model.toString(), "--data", images.toString());
    }

    private static void expectError(String message, String... args) {
        String[] full = new String[args.length + 1];
        full[0] = "evaluate";
        System.arraycopy(args, 0, full, 1, args.length);
        CliRun run = CliRun.of(full);
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().startsWith("ncguard: ") && run.err().contains(message), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
    }
}
