package org.ncguard.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small labelled image sets on disk (IDX files), for commands that read data from files. */
public final class ImageFixtures {

    private ImageFixtures() {}

    /** Writes an uncompressed IDX file of unsigned bytes. */
    public static Path idx(Path file, int[] dims, byte[] data) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(4 + 4 * dims.length);
        header.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) dims.length);
        for (int d : dims) {
            header.putInt(d);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(header.array());
            out.write(data);
        }
        return file;
    }

    /**
     * {@code n} grey images of {@code size x size} as {@code DIR/PREFIX-images-idx3-ubyte}, and, if
     * {@code labelCount > 0}, that many labels ({@code i mod 10}) in the sibling labels file. Returns the images file.
     */
    public static Path idxSet(Path dir, String prefix, int n, int size, int labelCount) throws IOException {
        byte[] pixels = new byte[n * size * size];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) ((i * 37 + i / (size * size) * 11) & 0xFF);
        }
        Path images = idx(dir.resolve(prefix + "-images-idx3-ubyte"), new int[] {n, size, size}, pixels);
        if (labelCount > 0) {
            byte[] labels = new byte[labelCount];
            for (int i = 0; i < labelCount; i++) {
                labels[i] = (byte) (i % 10);
            }
            idx(dir.resolve(prefix + "-labels-idx1-ubyte"), new int[] {labelCount}, labels);
        }
        return images;
    }
}
