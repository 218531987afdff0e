package org.ncguard.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.ncguard.NcguardException;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;

/**
 * Reads a folder with one sub-folder per class holding PNG or JPEG images, as torchvision's ImageFolder does.
 *
 * <p>If every sub-folder name is a non-negative integer, that integer is the label; otherwise sub-folders are
 * sorted by name and numbered from 0. All images must have the same size; they are loaded as grey (1 channel)
 * if every one is grey, as RGB (3 channels) otherwise, with any alpha dropped. Files that are not
 * {@code .png}, {@code .jpg} or {@code .jpeg} are ignored.
 */
final class ImageFolders {

    private ImageFolders() {
    }

    static ImageSource open(Path root, String name) throws NcguardException {
        List<Path> classDirs = subFolders(root);
        if (classDirs.isEmpty()) {
            throw new NcguardException(root + " has no sub-folders; expected one sub-folder of images per label "
                    + "(e.g. " + root.resolve("0") + ", " + root.resolve("1") + ")");
        }
        int[] classLabels = new int[classDirs.size()];
        List<String> labelNames = labelNames(classDirs, classLabels);

        List<Path> files = new ArrayList<>();
        List<Integer> fileLabels = new ArrayList<>();
        for (int k = 0; k < classDirs.size(); k++) {
            for (Path f : imageFiles(classDirs.get(k))) {
                files.add(f);
                fileLabels.add(classLabels[k]);
            }
        }
        if (files.isEmpty()) {
            throw new NcguardException("the class folders of " + root + " hold no images; expected .png, .jpg or "
                    + ".jpeg files in them");
        }

        // First pass keeps each image as grey or RGB bytes (HWC); the second packs them at one channel count.
        Path first = files.get(0);
        int height = -1;
        int width = -1;
        boolean allGrey = true;
        List<byte[]> decoded = new ArrayList<>(files.size());
        for (Path f : files) {
            BufferedImage img = decode(f);
            if (height < 0) {
                height = img.getHeight();
                width = img.getWidth();
            } else if (img.getHeight() != height || img.getWidth() != width) {
                throw new NcguardException("images differ in size: " + first + " is " + width + "x" + height
                        + " (WxH) but " + f + " is " + img.getWidth() + "x" + img.getHeight()
                        + "; resize them to one size first");
            }
            boolean grey = isGrey(img);
            allGrey &= grey;
            decoded.add(grey ? greyBytes(img) : rgbBytes(img));
        }
        int channels = allGrey ? 1 : 3;
        int plane = height * width;
        byte[] packed = new byte[Math.multiplyExact(files.size(), plane * channels)];
        for (int i = 0; i < decoded.size(); i++) {
            byte[] px = decoded.get(i);
            decoded.set(i, null);
            if (px.length == plane && channels == 3) {
                px = replicate(px);
            }
            System.arraycopy(px, 0, packed, i * plane * channels, px.length);
        }
        int[] labels = fileLabels.stream().mapToInt(Integer::intValue).toArray();
        return new StoredImages(name, new ImageShape(channels, height, width, Layout.NCHW), true,
                packed, labels, labelNames);
    }

    private static List<String> labelNames(List<Path> classDirs, int[] classLabels) throws NcguardException {
        boolean numeric = true;
        for (Path d : classDirs) {
            numeric &= d.getFileName().toString().matches("\\d{1,6}");
        }
        List<String> names = new ArrayList<>();
        if (!numeric) {
            for (int k = 0; k < classDirs.size(); k++) {
                classLabels[k] = k;
                names.add(classDirs.get(k).getFileName().toString());
            }
            return names;
        }
        int max = -1;
        for (int k = 0; k < classDirs.size(); k++) {
            classLabels[k] = Integer.parseInt(classDirs.get(k).getFileName().toString());
            max = Math.max(max, classLabels[k]);
        }
        for (int k = 0; k < classDirs.size(); k++) {
            for (int j = 0; j < k; j++) {
                if (classLabels[j] == classLabels[k]) {
                    throw new NcguardException("folders " + classDirs.get(j) + " and " + classDirs.get(k)
                            + " both name label " + classLabels[k] + "; expected one folder per label");
                }
            }
        }
        for (int i = 0; i <= max; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }

    private static List<Path> subFolders(Path root) throws NcguardException {
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                if (Files.isDirectory(p) && !p.getFileName().toString().startsWith(".")) {
                    dirs.add(p);
                }
            }
        } catch (IOException e) {
            throw new NcguardException("cannot list " + root + ": " + e, e);
        }
        dirs.sort(null);
        return dirs;
    }

    private static List<Path> imageFiles(Path dir) throws NcguardException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                boolean image = n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
                if (image && !n.startsWith(".") && Files.isRegularFile(p)) {
                    files.add(p);
                }
            }
        } catch (IOException e) {
            throw new NcguardException("cannot list " + dir + ": " + e, e);
        }
        files.sort(null);
        return files;
    }

    /** Decodes one PNG or JPEG file; the message names the file when that fails. */
    static BufferedImage decode(Path file) throws NcguardException {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new NcguardException("cannot read image " + file + ": " + e.getMessage()
                    + "; expected a valid PNG or JPEG file", e);
        }
        if (img == null) {
            throw new NcguardException("cannot read image " + file + ": not a format ImageIO decodes; expected PNG "
                    + "or JPEG");
        }
        return img;
    }

    private static boolean isGrey(BufferedImage img) {
        return img.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY;
    }

    /** Grey levels straight from the raster: getRGB would pass them through a colour conversion. */
    private static byte[] greyBytes(BufferedImage img) {
        Raster r = img.getRaster();
        int bits = img.getColorModel().getComponentSize(0);
        int max = (1 << bits) - 1;
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] out = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int s = r.getSample(x, y, 0);
                out[y * w + x] = (byte) (bits == 8 ? s : Math.round(s * 255f / max));
            }
        }
        return out;
    }

    /** Interleaved RGB (HWC) bytes in sRGB. */
    static byte[] rgbBytes(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        byte[] out = new byte[3 * w * h];
        for (int p = 0; p < argb.length; p++) {
            out[3 * p] = (byte) (argb[p] >> 16);
            out[3 * p + 1] = (byte) (argb[p] >> 8);
            out[3 * p + 2] = (byte) argb[p];
        }
        return out;
    }

    private static byte[] replicate(byte[] grey) {
        byte[] out = new byte[grey.length * 3];
        for (int p = 0; p < grey.length; p++) {
            out[3 * p] = grey[p];
            out[3 * p + 1] = grey[p];
            out[3 * p + 2] = grey[p];
        }
        return out;
    }
}
