package org.ncguard.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;

/** Writes small IDX and image fixtures for the tests. */
final class TestFiles {

    private TestFiles() {
    }

    /** An IDX file of unsigned bytes with the given dimensions and data, gzipped if {@code gzip}. */
    static Path idx(Path file, int[] dims, byte[] data, boolean gzip) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(4 + 4 * dims.length);
        header.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) dims.length);
        for (int d : dims) {
            header.putInt(d);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(header.array());
        bytes.write(data);
        OutputStream raw = Files.newOutputStream(file);
        try (OutputStream out = gzip ? new GZIPOutputStream(raw) : raw) {
            out.write(bytes.toByteArray());
        }
        return file;
    }

    /** Bytes whose value encodes their position, so that reordering shows. */
    static byte[] counting(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7 + 3);
        }
        return b;
    }

    /** A grey PNG whose pixel (x, y) is {@code base + x + 10 y}. */
    static Path greyPng(Path file, int w, int h, int base) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, (base + x + 10 * y) & 0xFF);
            }
        }
        write(img, "png", file);
        return file;
    }

    /** An RGB image of one colour. */
    static Path rgbImage(Path file, String format, int w, int h, int rgb) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        write(img, format, file);
        return file;
    }

    static void write(BufferedImage img, String format, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        if (!ImageIO.write(img, format, file.toFile())) {
            throw new IOException("no " + format + " writer");
        }
    }
}
