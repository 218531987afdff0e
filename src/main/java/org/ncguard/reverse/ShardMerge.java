package org.ncguard.reverse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.ncguard.AtomicFiles;
import org.ncguard.NcguardException;
import org.ncguard.data.ImageSource;
import org.ncguard.data.Preprocessor;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.OnnxModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins the shards of a split scan ({@code scan --shard K/N}) into the scan one run would have written. The shards
 * must be of one model (sha256) and one search (seed, steps, samples, data, preprocessing), and cover the scan's
 * labels exactly once. The merge then does what needs all labels, as a resumed scan would: the anomaly index and both
 * rules' verdicts, the natural-feature check, and with early detection the full search of the outliers. That needs
 * the model and the clean images again, which the shards recorded ({@code config.input}).
 */
public final class ShardMerge {

    private static final Logger log = LoggerFactory.getLogger(ShardMerge.class);

    private final List<Path> dirs;
    private final List<ScanReport> shards;

    private ShardMerge(List<Path> dirs, List<ScanReport> shards) {
        this.dirs = List.copyOf(dirs);
        this.shards = List.copyOf(shards);
    }

    /** Reads the shards' {@code scan.json} files and checks that they belong together. */
    public static ShardMerge read(List<Path> dirs) throws NcguardException {
        List<ScanReport> reports = new ArrayList<>();
        for (Path dir : dirs) {
            Path json = new ScanFiles(dir).scanJson();
            if (!Files.isRegularFile(json)) {
                throw new NcguardException("no scan in " + dir + " (expected " + json + "); give the --out folders of "
                        + "'ncguard scan --shard K/N'");
            }
            reports.add(ScanReport.read(json));
        }
        return of(dirs, reports);
    }

    /**
     * Checks that {@code shards} (read from {@code dirs}, in the same order) are the shards of one scan.
     *
     * @throws NcguardException naming the folders and what differs: a whole scan among them, another model, other
     *     settings, another split, an unfinished shard, labels in two shards, labels no shard has
     */
    public static ShardMerge of(List<Path> dirs, List<ScanReport> shards) throws NcguardException {
        if (dirs.isEmpty() || dirs.size() != shards.size()) {
            throw new IllegalArgumentException("one report per folder, found " + dirs.size() + " folders and "
                    + shards.size() + " reports");
        }
        Path firstDir = dirs.get(0);
        ScanReport first = shards.get(0);
        Map<Integer, Path> owner = new TreeMap<>();
        Map<String, List<Integer>> overlaps = new LinkedHashMap<>();
        TreeSet<Integer> given = new TreeSet<>();
        for (int i = 0; i < shards.size(); i++) {
            Path dir = dirs.get(i);
            ScanReport r = shards.get(i);
            if (r.shard() == null) {
                throw new NcguardException(dir + " holds a whole scan, not a shard; merge only the --out folders of "
                        + "'ncguard scan --shard K/N'");
            }
            if (!r.modelSha256().equals(first.modelSha256())) {
                throw new NcguardException(dir + " is a scan of another model (" + r.model() + ", sha256 "
                        + r.modelSha256().substring(0, 12) + "...) than " + firstDir + " (" + first.model()
                        + ", sha256 " + first.modelSha256().substring(0, 12) + "...); merge the shards of one model");
            }
            List<String> differences = r.searchDifferences(first).stream()
                    .map(d -> d.key() + " " + d.mine() + " vs " + d.theirs()).toList();
            if (!differences.isEmpty()) {
                throw new NcguardException(dir + " was scanned with other settings than " + firstDir + " ("
                        + String.join("; ", differences) + "); scan every shard with the same options");
            }
            if (r.shard().count() != first.shard().count() || !r.shard().scanLabels()
                    .equals(first.shard().scanLabels())) {
                throw new NcguardException(dir + " is shard " + r.shard().name() + " of a scan of labels "
                        + r.shard().scanLabels() + ", " + firstDir + " is shard " + first.shard().name()
                        + " of a scan of labels " + first.shard().scanLabels()
                        + "; merge the shards of one split (the same N and --labels)");
            }
            if (!r.complete()) {
                List<Integer> missing = new ArrayList<>(r.shard().labels());
                missing.removeAll(r.labels().stream().map(LabelResult::label).toList());
                throw new NcguardException(dir + " (shard " + r.shard().name() + ") is unfinished: labels " + missing
                        + " have no result; finish it with 'ncguard scan --shard " + r.shard().name()
                        + " --resume --out " + dir + "' and the shard's other options");
            }
            given.add(r.shard().index());
            for (LabelResult result : r.labels()) {
                Path before = owner.putIfAbsent(result.label(), dir);
                if (before != null) {
                    overlaps.computeIfAbsent(before + " and " + dir, k -> new ArrayList<>()).add(result.label());
                }
            }
        }
        if (!overlaps.isEmpty()) {
            List<String> pairs = new ArrayList<>();
            overlaps.forEach((pair, labels) -> pairs.add("labels " + labels + " are in both " + pair));
            throw new NcguardException(String.join("; ", pairs) + " (the same shard given twice?); give each shard "
                    + "once");
        }
        List<Integer> uncovered = new ArrayList<>(first.shard().scanLabels());
        uncovered.removeAll(owner.keySet());
        if (!uncovered.isEmpty()) {
            int n = first.shard().count();
            List<String> absent = IntStream.range(0, n).filter(k -> !given.contains(k)).mapToObj(k -> k + "/" + n)
                    .toList();
            throw new NcguardException("labels " + uncovered + " have no result: shard(s) " + absent
                    + " missing; scan them with 'ncguard scan --shard K/N' and give their folders too");
        }
        return new ShardMerge(dirs, shards);
    }

    /** The model file the shards scanned, as they recorded it. */
    public Path modelPath() throws NcguardException {
        return Path.of(String.valueOf(input().get("model")));
    }

    /** The clean images the shards scanned with, as {@code --data} names them. */
    public String dataSpec() throws NcguardException {
        return String.valueOf(input().get("data"));
    }

    /** The labels of the whole scan, ascending. */
    public List<Integer> labels() {
        return shards.get(0).shard().scanLabels();
    }

    /**
     * Writes the merged scan into {@code out} (which must not exist, or be an empty folder): scan.json, the triggers
     * and report.html, built in a hidden folder beside it and renamed into place only when finished.
     *
     * @param model the model the shards scanned (checked by sha256)
     * @param data  the clean images the shards scanned with
     */
    public ScanReport write(Path out, OnnxModel model, ImageSource data, BooleanSupplier cancelled)
            throws NcguardException {
        ScanReport first = shards.get(0);
        if (!model.sha256().equals(first.modelSha256())) {
            throw new NcguardException(model.source() + " (sha256 " + model.sha256().substring(0, 12) + "...) is not "
                    + "the model the shards scanned (" + first.model() + ", sha256 "
                    + first.modelSha256().substring(0, 12) + "...); give that model with --model");
        }
        if (!data.name().equals(dataSpec())) {
            throw new NcguardException(data.name() + " are not the images the shards scanned with (" + dataSpec()
                    + "); give those with --data");
        }
        requireFree(out);
        Path tmp;
        try {
            tmp = AtomicFiles.createTempDirectory(out);
        } catch (IOException e) {
            throw new NcguardException("cannot create a folder beside " + out + ": " + e.getMessage(), e);
        }
        boolean published = false;
        try {
            ScanFiles files = new ScanFiles(tmp);
            TriggerStore store = new TriggerStore(files);
            for (int i = 0; i < shards.size(); i++) {
                TriggerStore shardStore = new TriggerStore(new ScanFiles(dirs.get(i)));
                for (LabelResult result : shards.get(i).labels()) {
                    Path dir = dirs.get(i);
                    store.save(shardStore.load(result.label()).orElseThrow(() -> new NcguardException(dir
                            + " has no trigger file for label " + result.label() + " (" + new ScanFiles(dir)
                            .triggerJson(result.label()) + "); scan that shard again")));
                }
            }
            merged().write(files.scanJson());
            log.info("merging {} shards of {} ({} labels): what needs all labels is done now, as one run does it "
                    + "after its searches", shards.size(), first.model(), labels().size());
            ScanReport done = new NeuralCleanse(model, preprocessor(model.input().shape()), settings(), first.seed(),
                    fastSteps()).scan(data, labels(), tmp, true, cancelled);
            if (cancelled.getAsBoolean()) {
                throw new NcguardException("merge interrupted; nothing was written to " + out);
            }
            AtomicFiles.publishDirectory(tmp, out);
            published = true;
            return done;
        } catch (IOException e) {
            throw new NcguardException("cannot write the merged scan to " + out + ": " + e.getMessage(), e);
        } finally {
            if (!published) {
                try {
                    AtomicFiles.deleteTree(tmp);
                } catch (IOException e) {
                    // The hidden folder is only clutter: the output folder was never touched.
                }
            }
        }
    }

    /**
     * The shards' results as one scan before the steps that need all labels: a resumed scan with nothing left to
     * search. Its seconds are the shards' summed compute time.
     */
    ScanReport merged() {
        ScanReport first = shards.get(0);
        Map<String, Object> config = new LinkedHashMap<>(first.config());
        config.put("labels", labels());
        ScanReport.Builder builder = ScanReport.builder(first.model(), first.modelSha256(), first.labelCount())
                .classNames(first.classNames()).threshold(first.threshold()).config(config).seed(first.seed())
                .requestedLabels(labels()).seconds(shards.stream().mapToDouble(ScanReport::seconds).sum());
        shards.forEach(s -> builder.results(s.labels()));
        return builder.build();
    }

    private static void requireFree(Path out) throws NcguardException {
        if (!Files.exists(out)) {
            return;
        }
        try (var entries = Files.list(out)) {
            if (entries.findAny().isPresent()) {
                throw new NcguardException(out + " already exists and is not empty; choose another --out");
            }
        } catch (IOException e) {
            throw new NcguardException(out + " already exists and is not an empty folder; choose another --out", e);
        }
    }

    private Map<?, ?> input() throws NcguardException {
        if (shards.get(0).config().get("input") instanceof Map<?, ?> input) {
            return input;
        }
        throw new NcguardException(dirs.get(0) + " does not record its model and data (config.input); scan the "
                + "shards again with this version of ncguard");
    }

    private Preprocessor preprocessor(ImageShape shape) throws NcguardException {
        Map<?, ?> input = input();
        return new Preprocessor(shape, ((Number) input.get("scale")).floatValue(), floats(input.get("mean")),
                floats(input.get("std")));
    }

    private static float[] floats(Object list) {
        List<?> values = (List<?>) list;
        float[] f = new float[values.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = ((Number) values.get(i)).floatValue();
        }
        return f;
    }

    private ReverseSettings settings() {
        return Json.MAPPER.convertValue(shards.get(0).config().get("settings"), ReverseSettings.class);
    }

    private int fastSteps() {
        return ((Number) shards.get(0).config().get("fastSteps")).intValue();
    }
}
