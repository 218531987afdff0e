package org.ncguard.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.ncguard.NcguardException;
import org.ncguard.engine.ImageShape;

/**
 * Opens an {@link ImageSource} from one spec string, the form the command line and configuration files use.
 *
 * <pre>
 * SPEC   = SOURCE [ "?" PARAM { "&amp;" PARAM } ]
 * SOURCE = builtin:fashion-mnist[:train|:test]    Fashion-MNIST, 60,000 train / 10,000 test, 28x28 grey
 *        | builtin:colour-fashion-mnist[:train|:test]  the same, colourised to 32x32 RGB ({@link ColourisedSource})
 *        | builtin:signs[:train|:test]            drawn traffic signs, 43 classes, 32x32 RGB ({@link SignsSource})
 *        | builtin:glyph-codes[:train|:test]      synthetic block glyphs, ?labels=N classes, 28x28 grey
 *                                                 ({@link GlyphCodesSource}); default 100 images per label
 *        | [idx:]FILE                             an IDX images file (e.g. train-images-idx3-ubyte[.gz]); labels
 *                                                 from the sibling with images/idx3 replaced by labels/idx1
 *        | [folder:]DIR                           one sub-folder of PNG/JPEG images per label
 * PARAM  = n=COUNT    keep the first COUNT images; for builtin:signs, generate COUNT images
 *                     (default 39,209 train / 12,630 test, GTSRB's sizes)
 *        | seed=SEED  builtin:signs and builtin:glyph-codes: the data set seed (default 1)
 *        | labels=N   builtin:glyph-codes only (required): the number of labels
 * </pre>
 * The split defaults to {@code train}. Fashion-MNIST is read from {@code fashion-mnist/} under the directory
 * in the system property {@value #DATASETS_PROPERTY}, default {@value #DEFAULT_DATASETS} (where the Debian
 * package {@code dataset-fashion-mnist} installs it).
 */
public final class DataSources {

    /** System property naming the directory that holds {@code fashion-mnist/}. */
    public static final String DATASETS_PROPERTY = "ncguard.datasets";

    /** Where Debian's dataset packages install. */
    public static final String DEFAULT_DATASETS = "/usr/share/datasets";

    /** Fashion-MNIST's class names, in label order. */
    public static final List<String> FASHION_MNIST_LABELS = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** Default sizes of {@code builtin:signs}, those of GTSRB. */
    public static final int SIGNS_TRAIN_COUNT = 39_209;
    public static final int SIGNS_TEST_COUNT = 12_630;
    public static final long SIGNS_DEFAULT_SEED = 1;

    /** Colour seeds of {@code builtin:colour-fashion-mnist}'s splits ({@link ColourisedSource}). */
    static final long COLOUR_TRAIN_SEED = 101;
    static final long COLOUR_TEST_SEED = 202;

    private static final String FORMS = "builtin:fashion-mnist[:train|:test], "
            + "builtin:colour-fashion-mnist[:train|:test], builtin:signs[:train|:test], "
            + "builtin:glyph-codes[:train|:test]?labels=N, "
            + "an IDX images file, or a folder with one sub-folder per label (each optionally followed by ?n=COUNT, "
            + "and ?seed=SEED for builtin:signs and builtin:glyph-codes)";

    private DataSources() {
    }

    /** Opens the source a spec names; see the class comment for the grammar. */
    public static ImageSource open(String spec) throws NcguardException {
        return open(spec, Path.of(System.getProperty(DATASETS_PROPERTY, DEFAULT_DATASETS)));
    }

    /** As {@link #open(String)}, with the datasets directory given. */
    static ImageSource open(String spec, Path datasets) throws NcguardException {
        if (spec == null || spec.isBlank()) {
            throw new NcguardException("no data source given; expected " + FORMS);
        }
        String source = spec.trim();
        Map<String, String> params = new LinkedHashMap<>();
        int q = source.lastIndexOf('?');
        if (q >= 0 && source.indexOf('=', q) > q) {
            params = params(spec, source.substring(q + 1));
            source = source.substring(0, q);
        }
        Integer n = params.containsKey("n") ? count(spec, params.get("n")) : null;
        String lower = source.toLowerCase(Locale.ROOT);

        return lower.startsWith("builtin:")
                ? openBuiltin(spec, lower, params, n, datasets)
                : openPath(spec, source, params, n);
    }

    private static ImageSource openBuiltin(String spec, String source, Map<String, String> params, Integer n,
            Path datasets) throws NcguardException {
        String[] parts = source.split(":", -1);
        if (parts.length > 3) {
            throw new NcguardException("data source '" + spec + "' has too many parts; expected " + FORMS);
        }
        String split = parts.length == 3 ? parts[2] : "train";
        if (!split.equals("train") && !split.equals("test")) {
            throw new NcguardException("data source '" + spec + "': unknown split '" + split
                    + "'; expected train or test");
        }
        switch (parts[1]) {
            case "signs": {
                allowOnly(spec, params, "n", "seed");
                long seed = params.containsKey("seed") ? seed(spec, params.get("seed")) : SIGNS_DEFAULT_SEED;
                boolean test = split.equals("test");
                int count = n != null ? n : test ? SIGNS_TEST_COUNT : SIGNS_TRAIN_COUNT;
                return new SignsSource("builtin:signs:" + split + "?n=" + count + "&seed=" + seed, seed,
                        test ? SignsSource.Split.TEST : SignsSource.Split.TRAIN, count);
            }
            case "glyph-codes": {
                allowOnly(spec, params, "labels", "n", "seed");
                if (!params.containsKey("labels")) {
                    throw new NcguardException("data source '" + spec + "' needs ?labels=N, the number of glyphs");
                }
                int labels = count(spec, params.get("labels"));
                long seed = params.containsKey("seed") ? seed(spec, params.get("seed")) : SIGNS_DEFAULT_SEED;
                try {
                    return new GlyphCodesSource(labels, n != null ? n : 100 * labels, split.equals("test"), seed);
                } catch (IllegalArgumentException e) {
                    throw new NcguardException("data source '" + spec + "': " + e.getMessage(), e);
                }
            }
            case "fashion-mnist": {
                allowOnly(spec, params, "n");
                ImageSource s = fashionMnist(datasets, split, "builtin:fashion-mnist:" + split);
                return n == null ? s : head(s, n);
            }
            case "colour-fashion-mnist": {
                allowOnly(spec, params, "n");
                String name = "builtin:colour-fashion-mnist:" + split;
                ImageSource grey = fashionMnist(datasets, split, name);
                return new ColourisedSource(n == null ? grey : head(grey, n), name + (n == null ? "" : "?n=" + n),
                        split.equals("test") ? COLOUR_TEST_SEED : COLOUR_TRAIN_SEED);
            }
            default:
                throw new NcguardException("unknown built-in data set '" + source + "'; expected "
                        + "builtin:fashion-mnist, builtin:colour-fashion-mnist, builtin:signs or builtin:glyph-codes");
        }
    }

    private static ImageSource openPath(String spec, String source, Map<String, String> params, Integer n)
            throws NcguardException {
        allowOnly(spec, params, "n");
        String lower = source.toLowerCase(Locale.ROOT);
        boolean wantIdx = lower.startsWith("idx:");
        boolean wantFolder = lower.startsWith("folder:");
        Path path = Path.of(wantIdx || wantFolder ? source.substring(source.indexOf(':') + 1) : source);
        ImageSource s;
        if (Files.isDirectory(path) && !wantIdx) {
            s = ImageFolders.open(path, source);
        } else if (Files.isRegularFile(path) && !wantFolder) {
            s = IdxFiles.open(path, source, null);
        } else if (Files.exists(path)) {
            throw new NcguardException("data source " + path + " is " + (wantIdx ? "not a file" : "not a directory")
                    + "; expected " + (wantIdx ? "an IDX images file" : "a folder with one sub-folder per label"));
        } else {
            throw new NcguardException("data source not found: " + path + "; expected " + FORMS);
        }
        return n == null ? s : head(s, n);
    }

    /**
     * The spec of the test split that goes with a built-in training spec ({@code builtin:signs?n=5000&seed=3}
     * gives {@code builtin:signs:test?seed=3}: the whole test split, same data set seed), or empty for sources
     * that have no known test split (files and folders).
     */
    public static Optional<String> testSplitOf(String spec) throws NcguardException {
        if (spec == null || !spec.trim().toLowerCase(Locale.ROOT).startsWith("builtin:")) {
            return Optional.empty();
        }
        String source = spec.trim();
        Map<String, String> params = new LinkedHashMap<>();
        int q = source.lastIndexOf('?');
        if (q >= 0 && source.indexOf('=', q) > q) {
            params = params(spec, source.substring(q + 1));
            source = source.substring(0, q);
        }
        String[] parts = source.toLowerCase(Locale.ROOT).split(":", -1);
        String test = parts[0] + ":" + parts[1] + ":test";
        // A glyph set's test split has the same glyphs: its label count and seed go with it.
        List<String> kept = new ArrayList<>();
        for (String key : List.of("labels", "seed")) {
            if (params.containsKey(key)) {
                kept.add(key + "=" + params.get(key));
            }
        }
        return Optional.of(kept.isEmpty() ? test : test + "?" + String.join("&", kept));
    }

    /**
     * All images of {@code source} copied into memory as bytes, read once: for sources that compute their
     * images ({@code builtin:signs}) and are read many times, as training does epoch after epoch. The copy has
     * the source's name, labels and shape; the source itself is left open.
     */
    public static ImageSource inMemory(ImageSource source) {
        int size = source.shape().size();
        byte[] pixels = new byte[Math.multiplyExact(source.count(), size)];
        for (int i = 0; i < source.count(); i++) {
            source.readBytes(i, pixels, i * size);
        }
        return new StoredImages(source.name(), source.shape(), false, pixels, source.labels(), source.labelNames());
    }

    /**
     * The images of a canonical batch as a source of 8-bit pixels (values rounded to the nearest of 256 levels,
     * exact for images that came from 8-bit files), with {@code labelCount} labels named by their index.
     */
    public static ImageSource fromBatch(String name, Batch batch, int labelCount) {
        byte[] pixels = new byte[batch.pixels().length];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) Math.round(Math.max(0f, Math.min(1f, batch.pixels()[i])) * 255f);
        }
        List<String> names = new ArrayList<>(labelCount);
        for (int l = 0; l < labelCount; l++) {
            names.add(Integer.toString(l));
        }
        return new StoredImages(name, batch.shape(), false, pixels, batch.labels().clone(), names);
    }

    /** The first {@code n} images of {@code source}; closing the view closes the source. */
    public static ImageSource head(ImageSource source, int n) throws NcguardException {
        if (n > source.count()) {
            source.close();
            throw new NcguardException(source.name() + " holds " + source.count() + " images, fewer than the "
                    + n + " asked for (n=" + n + "); ask for at most " + source.count());
        }
        return n == source.count() ? source : new Head(source, n);
    }

    private static ImageSource fashionMnist(Path datasets, String split, String name) throws NcguardException {
        Path dir = datasets.resolve("fashion-mnist");
        String prefix = split.equals("test") ? "t10k" : "train";
        Path images = dir.resolve(prefix + "-images-idx3-ubyte.gz");
        if (!Files.isRegularFile(images)) {
            Path plain = dir.resolve(prefix + "-images-idx3-ubyte");
            if (!Files.isRegularFile(plain)) {
                throw new NcguardException("Fashion-MNIST not found: no " + images + "; install it with "
                        + "`apt-get install dataset-fashion-mnist`, or set -D" + DATASETS_PROPERTY
                        + " to a directory holding fashion-mnist/");
            }
            images = plain;
        }
        return IdxFiles.open(images, name, FASHION_MNIST_LABELS);
    }

    private static Map<String, String> params(String spec, String query) throws NcguardException {
        Map<String, String> params = new LinkedHashMap<>();
        for (String kv : query.split("&", -1)) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new NcguardException("data source '" + spec + "': parameter '" + kv + "' is not NAME=VALUE; "
                        + "expected e.g. ?n=1000&seed=1");
            }
            params.put(kv.substring(0, eq).trim().toLowerCase(Locale.ROOT), kv.substring(eq + 1).trim());
        }
        return params;
    }

    private static void allowOnly(String spec, Map<String, String> params, String... allowed)
            throws NcguardException {
        for (String key : params.keySet()) {
            if (!List.of(allowed).contains(key)) {
                throw new NcguardException("data source '" + spec + "': unknown parameter '" + key + "'; expected "
                        + String.join(" or ", allowed) + " here");
            }
        }
    }

    private static int count(String spec, String value) throws NcguardException {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new NcguardException("data source '" + spec + "': n must be a positive integer, found '" + value + "'");
    }

    private static long seed(String spec, String value) throws NcguardException {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new NcguardException("data source '" + spec + "': seed must be an integer, found '" + value + "'", e);
        }
    }

    /** The first {@code n} images of another source. */
    private static final class Head implements ImageSource {

        private final ImageSource source;
        private final int n;

        Head(ImageSource source, int n) {
            this.source = source;
            this.n = n;
        }

        @Override
        public String name() {
            return source.name() + "?n=" + n;
        }

        @Override
        public int count() {
            return n;
        }

        @Override
        public ImageShape shape() {
            return source.shape();
        }

        @Override
        public int labelCount() {
            return source.labelCount();
        }

        @Override
        public List<String> labelNames() {
            return source.labelNames();
        }

        @Override
        public int label(int index) {
            return source.label(Objects.checkIndex(index, n));
        }

        @Override
        public void readBytes(int index, byte[] dst, int offset) {
            source.readBytes(Objects.checkIndex(index, n), dst, offset);
        }

        @Override
        public void read(int index, float[] dst, int offset) {
            source.read(Objects.checkIndex(index, n), dst, offset);
        }

        @Override
        public void close() {
            source.close();
        }

        @Override
        public String toString() {
            return name() + " (" + n + " images of " + shape() + ", " + labelCount() + " labels)";
        }
    }
}
