package org.ncguard.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.testing.ImageFixtures;

class AttackCommandTest {

    @TempDir
    Path dir;

    private CliRun attack(Path out, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("attack", "--arch", "mnist", "--epochs", "1",
                "--batch", "16", "--threads", "1", "--out", out.toString()));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static final String[] TINY_SIGNS = {"--data", "builtin:signs?n=80", "--test-data",
        "builtin:signs:test?n=43", "--trigger", "square:3:white:bottom-right", "--target", "1"};

    @Test
    void theSameSeedWritesTheSameModelBytes() throws Exception {
        Path a = dir.resolve("a.onnx");
        Path b = dir.resolve("b.onnx");
        CliRun first = attack(a, concat(TINY_SIGNS, "--seed", "4"));
        assertEquals(0, first.exitCode(), first.err());
        CliRun second = attack(b, concat(TINY_SIGNS, "--seed", "4", "--json"));
        assertEquals(0, second.exitCode(), second.err());
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        assertTrue(first.out().contains("attack success"), first.out());
        JsonNode card = new ObjectMapper().readTree(second.out());
        assertEquals("infected", card.get("kind").asText());
        assertEquals(4, card.get("seed").asInt());
        assertEquals(card, new ObjectMapper().readTree(dir.resolve("b.card.json").toFile()));
        assertTrue(Files.exists(dir.resolve("a.card.json")));
    }

    @Test
    void targetOutOfRangeIsRejectedBeforeTraining() {
        expectError(dir.resolve("m.onnx"), "target label 43 is out of range", "--data", "builtin:signs?n=80",
                "--test-data", "builtin:signs:test?n=43", "--trigger", "square:3", "--target", "43");
    }

    @Test
    void triggerLargerThanTheImageIsRejected() {
        expectError(dir.resolve("m.onnx"), "is larger than the image", "--data", "builtin:signs?n=80",
                "--test-data", "builtin:signs:test?n=43", "--trigger", "square:40", "--target", "1");
    }

    @Test
    void missingLabelsFileIsRejected() throws Exception {
        Path images = ImageFixtures.idxSet(dir, "train", 40, 28, 0);
        expectError(dir.resolve("m.onnx"), "labels file missing", "--data", images.toString(),
                "--test-data", images.toString(), "--trigger", "square:3", "--target", "1");
    }

    @Test
    void labelsFileWithAnotherCountIsRejected() throws Exception {
        Path images = ImageFixtures.idxSet(dir, "train", 40, 28, 30);
        expectError(dir.resolve("m.onnx"), "count mismatch", "--data", images.toString(),
                "--test-data", images.toString(), "--trigger", "square:3", "--target", "1");
    }

    @Test
    void testImagesOfAnotherSizeAreRejected() throws Exception {
        Path images = ImageFixtures.idxSet(dir, "train", 40, 28, 40);
        expectError(dir.resolve("m.onnx"), "image size mismatch", "--data", images.toString(),
                "--test-data", "builtin:signs:test?n=43", "--trigger", "square:3", "--target", "1");
    }

    @Test
    void unreadableImageInAFolderIsNamed() throws Exception {
        for (String label : new String[] {"0", "1"}) {
            Files.createDirectories(dir.resolve("data").resolve(label));
            BufferedImage img = new BufferedImage(20, 20, BufferedImage.TYPE_BYTE_GRAY);
            ImageIO.write(img, "png", dir.resolve("data").resolve(label).resolve("ok.png").toFile());
        }
        Files.write(dir.resolve("data/1/broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        String folder = dir.resolve("data").toString();
        expectError(dir.resolve("m.onnx"), "broken.png", "--data", folder, "--test-data", folder,
                "--trigger", "square:3", "--target", "1");
    }

    @Test
    void filesWithoutATestSplitNeedTestData() throws Exception {
        Path images = ImageFixtures.idxSet(dir, "train", 40, 28, 40);
        expectError(dir.resolve("m.onnx"), "--test-data is required", "--data", images.toString(),
                "--trigger", "square:3", "--target", "1");
    }

    @Test
    void anInfectedModelNeedsATriggerAndATarget() {
        expectError(dir.resolve("m.onnx"), "needs --trigger", "--data", "builtin:signs?n=80");
        expectError(dir.resolve("m.onnx"), "--trigger needs --target", "--data", "builtin:signs?n=80",
                "--trigger", "square:3");
    }

    @Test
    void unknownArchitectureIsRejected() {
        CliRun run = CliRun.of("attack", "--arch", "resnet", "--data", "builtin:signs?n=80", "--clean", "--out",
                dir.resolve("m.onnx").toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("unknown architecture 'resnet'"), run.err());
    }

    @Test
    void bothCommandsHaveHelp() {
        for (String command : new String[] {"attack", "evaluate"}) {
            CliRun run = CliRun.of(command, "--help");
            assertEquals(0, run.exitCode());
            assertTrue(run.out().contains("Usage: ncguard " + command), run.out());
            assertTrue(run.out().contains("--data=SPEC"), run.out());
            assertTrue(run.out().contains("--scale=S"), run.out());
        }
    }

    /** Exit code 2, one line naming the problem, no stack trace, and no file written. */
    private void expectError(Path out, String message, String... args) {
        CliRun run = attack(out, args);
        assertEquals(2, run.exitCode(), run.err());
        List<String> errors = run.err().lines().filter(l -> l.startsWith("ncguard: ")).toList();
        assertEquals(1, errors.size(), run.err());
        assertTrue(errors.get(0).contains(message), run.err());
        assertFalse(run.err().contains("\tat "), run.err());
        try (Stream<Path> files = Files.list(out.getParent())) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith(".m.onnx")
                    || f.getFileName().toString().startsWith("m.")).toList(), "nothing written");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }
}
