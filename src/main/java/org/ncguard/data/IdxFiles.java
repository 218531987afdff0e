package org.ncguard.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.ncguard.NcguardException;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;

/**
 * Reads IDX files, the MNIST family's format: a magic number (two zero bytes, a type byte, a dimension
 * count), big-endian 32-bit dimensions, then the values. Only unsigned bytes (type 0x08) are read.
 * Files may be gzipped; that is recognised from their first bytes, not their name.
 *
 * <p>Images have 3 dimensions (N, H, W) or 4 (N, H, W, C with C = 1 or 3). Labels live in a sibling file
 * named like the images with {@code images} replaced by {@code labels} and {@code idx3} by {@code idx1}.
 */
final class IdxFiles {

    private static final int UNSIGNED_BYTE = 0x08;

    private IdxFiles() {
    }

    /** Opens an images file and its sibling labels file. */
    static ImageSource open(Path images, String name, List<String> labelNames) throws NcguardException {
        return open(images, labelsFor(images), name, labelNames);
    }

    /** Opens an images file and the given labels file; {@code labelNames} may be null (then 0..max). */
    static ImageSource open(Path images, Path labels, String name, List<String> labelNames)
            throws NcguardException {
        Idx img = read(images, "images");
        if (img.dims.length != 3 && img.dims.length != 4) {
            throw new NcguardException(images + " has " + img.dims.length + " dimensions; expected 3 (N,H,W) or "
                    + "4 (N,H,W,C) for images");
        }
        int channels = img.dims.length == 4 ? img.dims[3] : 1;
        if (channels != 1 && channels != 3) {
            throw new NcguardException(images + " has " + channels + " channels per pixel; expected 1 or 3");
        }
        if (img.dims[1] <= 0 || img.dims[2] <= 0) {
            throw new NcguardException(images + " has images of " + img.dims[1] + "x" + img.dims[2]
                    + "; expected a positive height and width");
        }
        ImageShape shape = new ImageShape(channels, img.dims[1], img.dims[2], Layout.NCHW);

        Idx lab = read(labels, "labels");
        if (lab.dims.length != 1) {
            throw new NcguardException(labels + " has " + lab.dims.length + " dimensions; expected 1 for labels");
        }
        if (lab.dims[0] != img.dims[0]) {
            throw new NcguardException("count mismatch: " + images + " holds " + img.dims[0] + " images but "
                    + labels + " holds " + lab.dims[0] + " labels; expected one label per image");
        }
        int[] labelValues = new int[lab.dims[0]];
        int max = -1;
        for (int i = 0; i < labelValues.length; i++) {
            labelValues[i] = lab.data[i] & 0xFF;
            max = Math.max(max, labelValues[i]);
        }
        List<String> names = labelNames;
        if (names == null) {
            names = new ArrayList<>();
            for (int i = 0; i <= max; i++) {
                names.add(Integer.toString(i));
            }
        } else if (max >= names.size()) {
            throw new NcguardException(labels + " holds label " + max + "; expected labels 0.." + (names.size() - 1));
        }
        return new StoredImages(name, shape, channels > 1, img.data, labelValues, names);
    }

    /**
     * The labels file beside an images file: {@code images} becomes {@code labels} and {@code idx3} becomes
     * {@code idx1} in the file name; if that file is missing, the same name with or without {@code .gz}.
     */
    static Path labelsFor(Path images) throws NcguardException {
        String file = images.getFileName().toString();
        if (!file.contains("images")) {
            throw new NcguardException("cannot find the labels for " + images + ": its name does not contain "
                    + "'images'; expected a name like train-images-idx3-ubyte(.gz) with train-labels-idx1-ubyte(.gz)"
                    + " beside it");
        }
        String labelFile = file.replace("images", "labels").replace("idx3", "idx1");
        Path primary = images.resolveSibling(labelFile);
        Path alternate = images.resolveSibling(labelFile.endsWith(".gz")
                ? labelFile.substring(0, labelFile.length() - 3)
                : labelFile + ".gz");
        if (Files.isRegularFile(primary)) {
            return primary;
        }
        if (Files.isRegularFile(alternate)) {
            return alternate;
        }
        throw new NcguardException("labels file missing: looked for " + primary + " (or " + alternate.getFileName()
                + ") beside " + images.getFileName());
    }

    /** The header and data of one IDX file. */
    private record Idx(int[] dims, byte[] data) {
    }

    private static Idx read(Path path, String what) throws NcguardException {
        boolean gzipped = isGzipped(path);
        try (InputStream in = open(path, gzipped)) {
            byte[] header = in.readNBytes(4);
            if (header.length < 4) {
                throw new NcguardException(path + " is truncated: " + header.length + " bytes, expected at least an "
                        + "IDX header of 4");
            }
            int magic = ((header[0] & 0xFF) << 24) | ((header[1] & 0xFF) << 16) | ((header[2] & 0xFF) << 8)
                    | (header[3] & 0xFF);
            if (header[0] != 0 || header[1] != 0 || header[3] == 0) {
                throw new NcguardException(path + " is not an IDX " + what + " file: bad magic "
                        + String.format("0x%08x", magic) + ", expected 0x00000801 (labels), 0x00000803 or "
                        + "0x00000804 (images)");
            }
            if ((header[2] & 0xFF) != UNSIGNED_BYTE) {
                throw new NcguardException(path + " holds IDX values of type " + String.format("0x%02x", header[2])
                        + "; expected unsigned bytes (0x08)");
            }
            int ndims = header[3] & 0xFF;
            byte[] dimBytes = in.readNBytes(4 * ndims);
            if (dimBytes.length < 4 * ndims) {
                throw new NcguardException(path + " is truncated: its header announces " + ndims + " dimensions but "
                        + "the file ends inside them");
            }
            int[] dims = new int[ndims];
            long total = 1;
            for (int d = 0; d < ndims; d++) {
                int i = 4 * d;
                dims[d] = ((dimBytes[i] & 0xFF) << 24) | ((dimBytes[i + 1] & 0xFF) << 16)
                        | ((dimBytes[i + 2] & 0xFF) << 8) | (dimBytes[i + 3] & 0xFF);
                if (dims[d] < 0) {
                    throw new NcguardException(path + " has a negative dimension " + dims[d]
                            + "; expected sizes below 2^31");
                }
                total *= dims[d];
            }
            if (total > Integer.MAX_VALUE - 16) {
                throw new NcguardException(path + " holds " + total
                        + " bytes; ncguard reads IDX files of at most 2 GB");
            }
            long headerBytes = 4L + 4L * ndims;
            if (!gzipped && Files.size(path) - headerBytes < total) {
                throw truncated(path, dims, total, Files.size(path) - headerBytes);
            }
            byte[] data = new byte[(int) total];
            int got = in.readNBytes(data, 0, data.length);
            if (got < total) {
                throw truncated(path, dims, total, got);
            }
            return new Idx(dims, data);
        } catch (EOFException e) {
            throw new NcguardException(path + " is truncated: the gzip stream ends early (" + e.getMessage() + ")", e);
        } catch (ZipException e) {
            throw new NcguardException(path + " is not a valid gzip file (" + e.getMessage() + "); expected an IDX "
                    + "file, gzipped or not", e);
        } catch (IOException e) {
            throw new NcguardException("cannot read " + path + ": " + e, e);
        }
    }

    private static NcguardException truncated(Path path, int[] dims, long expected, long found) {
        return new NcguardException(path + " is truncated: its header (" + describe(dims) + ") promises " + expected
                + " bytes of data, the file has " + found);
    }

    private static String describe(int[] dims) {
        StringBuilder sb = new StringBuilder();
        for (int d : dims) {
            sb.append(sb.length() == 0 ? "" : "x").append(d);
        }
        return sb.toString();
    }

    private static boolean isGzipped(Path path) throws NcguardException {
        try (InputStream in = Files.newInputStream(path)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        } catch (NoSuchFileException e) {
            throw new NcguardException("file not found: " + path, e);
        } catch (IOException e) {
            throw new NcguardException("cannot read " + path + ": " + e, e);
        }
    }

    private static InputStream open(Path path, boolean gzipped) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        return gzipped ? new GZIPInputStream(in, 1 << 16) : in;
    }
}
