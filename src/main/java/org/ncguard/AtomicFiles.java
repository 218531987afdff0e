package org.ncguard;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a file so that readers see either the old content or the new one, never half of it.
 *
 * <p>A scan runs for hours and is often stopped with Ctrl-C; a later {@code --resume} must still find a whole
 * {@code scan.json}. The bytes go to a hidden temporary file in the target's directory, are forced to disk, and
 * the temporary file is then renamed over the target. If the process dies before the rename, the target is
 * untouched and at most a hidden {@code .name.*.tmp} file is left behind.
 */
public final class AtomicFiles {

    private static final Logger log = LoggerFactory.getLogger(AtomicFiles.class);

    private AtomicFiles() {
    }

    /**
     * Replaces {@code target} with {@code bytes}, creating missing parent directories.
     *
     * @throws IOException if the directory cannot be written; the target is then unchanged
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        Path file = target.toAbsolutePath();
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Path tmp = createTemp(dir, file.getFileName().toString());
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                log.warn("The file system of {} cannot rename atomically; replacing it non-atomically", file);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    log.warn("Could not delete the temporary file {}: {}", tmp, e.toString());
                }
            }
        }
    }

    /**
     * A new, empty hidden directory beside {@code target}, on the same file system: fill it, then
     * {@link #publishDirectory} it, so that {@code target} appears whole or not at all.
     */
    public static Path createTempDirectory(Path target) throws IOException {
        Path file = target.toAbsolutePath().normalize();
        Files.createDirectories(file.getParent());
        return Files.createTempDirectory(file.getParent(), "." + file.getFileName() + ".");
    }

    /**
     * Renames the filled directory {@code tmp} to {@code target}, which must not exist or be an empty directory (a
     * mounted volume, say). The rename is atomic where the file system allows it.
     */
    public static void publishDirectory(Path tmp, Path target) throws IOException {
        Path file = target.toAbsolutePath().normalize();
        Files.deleteIfExists(file); // only an empty directory can be deleted: anything else stays and fails below
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            log.warn("The file system of {} cannot rename atomically; moving it non-atomically", file);
            Files.move(tmp, file);
        }
    }

    /** Deletes {@code dir} and everything in it, if it exists. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Creates the temporary file with CREATE_NEW (not createTempFile, whose 0600 mode would stick). */
    private static Path createTemp(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + name + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36)
                    + ".tmp");
            try {
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 10) {
                    throw e;
                }
            }
        }
    }
}
