package org.ncguard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void writesANewFileAndItsMissingParents() throws Exception {
        Path file = dir.resolve("a/b/out.txt");
        AtomicFiles.write(file, "hello".getBytes(StandardCharsets.UTF_8));
        assertEquals("hello", Files.readString(file));
    }

    @Test
    void replacesAnExistingFileAndLeavesNoTemporaryFile() throws Exception {
        Path file = dir.resolve("out.bin");
        AtomicFiles.write(file, new byte[] {1, 2, 3});
        AtomicFiles.write(file, new byte[] {4});
        assertArrayEquals(new byte[] {4}, Files.readAllBytes(file));
        assertEquals(List.of(file), list(dir));
    }

    @Test
    void aFailedReplaceKeepsTheTargetAndCleansUp() throws Exception {
        // A non-empty directory cannot be replaced by a file: the rename fails after the bytes were written.
        Path target = dir.resolve("target");
        Files.createDirectories(target);
        Path inside = Files.writeString(target.resolve("keep.txt"), "kept");
        assertThrows(IOException.class, () -> AtomicFiles.write(target, new byte[] {9}));
        assertEquals("kept", Files.readString(inside));
        assertEquals(List.of(target), list(dir), "temporary file left behind");
    }

    @Test
    void newFilesGetTheUsualPermissionsNotThoseOfATempFile() throws Exception {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Path reference = Files.write(dir.resolve("reference"), new byte[] {0});
        Path file = dir.resolve("atomic");
        AtomicFiles.write(file, new byte[] {0});
        assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(file));
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
