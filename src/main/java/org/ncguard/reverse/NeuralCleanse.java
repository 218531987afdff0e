package org.ncguard.reverse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.ncguard.NcguardException;
import org.ncguard.data.Batch;
import org.ncguard.data.ImageSource;
import org.ncguard.data.Preprocessor;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;
import org.ncguard.engine.NativeThreads;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.OrtScorer;
import org.ncguard.engine.ScorerOptions;
import org.ncguard.engine.backprop.InputGradients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole Neural Cleanse scan: picks the clean samples, reverse-engineers every requested label's trigger (several
 * labels share each pass), and keeps {@code scan.json} and the trigger files in the output folder up to date after
 * every finished label, so that an interrupted scan is valid (incomplete) and can be resumed.
 */
public final class NeuralCleanse {

    private static final Logger log = LoggerFactory.getLogger(NeuralCleanse.class);

    private final OnnxModel model;
    private final Preprocessor preprocessor;
    private final ReverseSettings settings;
    private final long seed;
    private final int fastSteps;

    /**
     * @param fastSteps 0 for the full search on every label; otherwise the paper's early detection: a search of at
     *     most this many steps for every label, then the full search only for the outliers
     */
    public NeuralCleanse(OnnxModel model, Preprocessor preprocessor, ReverseSettings settings, long seed, int fastSteps) {
        this.model = model;
        this.preprocessor = preprocessor;
        this.settings = settings;
        this.seed = seed;
        this.fastSteps = fastSteps;
    }

    /**
     * Clean images a scan of a model with {@code labels} labels needs for its transfer check: with fewer the reference
     * model cannot learn the labels and the check is skipped, the verdict resting on the natural share alone.
     */
    public static int imagesForTransferCheck(int labels) {
        return Math.max(TransferCheck.REFERENCE_IMAGES, TransferCheck.MIN_IMAGES_PER_LABEL * labels);
    }

    /**
     * Scans {@code labels} (all when null) with clean images from {@code data}, writing into {@code out}.
     *
     * @param resume continue the scan already in {@code out} instead of refusing to overwrite it
     * @param cancelled polled between steps; when it turns true the scan stops, leaving a valid incomplete report
     */
    public ScanReport scan(ImageSource data, List<Integer> labels, Path out, boolean resume, BooleanSupplier cancelled)
            throws NcguardException {
        return run(data, labels == null ? allLabels() : List.copyOf(labels), null, out, resume, cancelled);
    }

    /**
     * Scans the labels of one shard of a split scan: their trigger searches only. What needs all labels (the anomaly
     * index and so the verdict, the natural-feature check of the labels below the median, and with early detection
     * the full search of the outliers) is left to {@link ShardMerge}; a label's search depends only on the seed, the
     * label and the settings, so the merged shards hold what one run would have found.
     */
    public ScanReport scanShard(ImageSource data, ScanShard shard, Path out, boolean resume, BooleanSupplier cancelled)
            throws NcguardException {
        return run(data, shard.labels(), shard, out, resume, cancelled);
    }

    /** All labels of a scan of this model, ascending. */
    public static List<Integer> allLabels(OnnxModel model) {
        return IntStream.range(0, model.labels()).boxed().toList();
    }

    private ScanReport run(ImageSource data, List<Integer> requested, ScanShard shard, Path out, boolean resume,
            BooleanSupplier cancelled) throws NcguardException {
        for (int label : shard == null ? requested : shard.scanLabels()) {
            if (label < 0 || label >= model.labels()) {
                throw new NcguardException("label " + label + " does not exist: " + model.source() + " has labels 0.."
                        + (model.labels() - 1));
            }
        }
        preprocessor.requireCompatible(data.shape());
        if (data.count() < settings.batchSize()) {
            throw new NcguardException(data.name() + " has " + data.count() + " images, fewer than one batch of "
                    + settings.batchSize() + "; give more clean samples");
        }
        ScanFiles files = new ScanFiles(out);
        ScanReport.Builder report = startReport(files, requested, shard, data.name(), resume);
        // Built after the folder checks: a refused --out should not wait for the backward graph.
        try (InputGradients gradients = InputGradients.open(model, NativeThreads.count())) {
            report.config(config(requested, data.name(), gradients.engine()));
            TriggerStore store = new TriggerStore(files);
            double priorSeconds = report.build().seconds();
            long scanStart = System.nanoTime();

            int n = Math.min(settings.samples(), data.count());
            if (n < settings.samples()) {
                log.warn("{} has {} images; using all of them instead of {}", data.name(), n, settings.samples());
            }
            Batch clean = sampleImages(data, n);
            float[] images = clean.pixels();
            List<Integer> todo = new ArrayList<>(requested);
            todo.removeAll(report.build().labels().stream().map(LabelResult::label).toList());
            log.info("Neural Cleanse on {}: {} label(s) to scan, {} clean samples, batches of {}, up to {} steps",
                    model.source(), todo.size(), n, settings.batchSize(), settings.maxSteps());
            report.build().write(files.scanJson());

            ReverseSettings first = fastSteps > 0 ? settings.withMaxSteps(fastSteps) : settings;
            runGroups(todo, new TriggerOptimizer(model, first, gains(), offsets(), gradients), images, n, files, store,
                    report, true, cancelled);
            if (shard == null && fastSteps > 0 && !cancelled.getAsBoolean()) {
                // Early detection: the outliers come from the short searches (comparable across labels); their
                // triggers are then refined with the full search for the check, the report and the guard profile.
                // A checked outlier was refined before the check, by an earlier run of this scan.
                List<Integer> outliers = uncheckedOutliers(report.build());
                if (!outliers.isEmpty()) {
                    log.info("fast mode: refining the trigger of outlier label(s) {} with the full search", outliers);
                    runGroups(outliers, new TriggerOptimizer(model, settings, gains(), offsets(), gradients), images, n,
                            files, store, report, false, cancelled);
                }
            }
            if (shard == null && !cancelled.getAsBoolean()) {
                boolean checked = checkOutliers(report, store, clean, data, files);
                // Fast mode: a label flagged without being one of Neural Cleanse's outliers (by the test on ln L1)
                // still has its short-search trigger; refine it for the report and the guard profile. The verdict
                // stays the one its short search gave, as for every other label.
                List<Integer> unrefined = report.build().flagged().stream()
                        .filter(l -> !report.build().outliers().contains(l)).toList();
                if (fastSteps > 0 && checked && !unrefined.isEmpty() && !cancelled.getAsBoolean()) {
                    log.info("fast mode: refining the trigger of flagged label(s) {} with the full search", unrefined);
                    runGroups(unrefined, new TriggerOptimizer(model, settings, gains(), offsets(), gradients), images,
                            n, files, store, report, false, cancelled);
                }
            }
            ScanReport done = report.seconds(priorSeconds + (System.nanoTime() - scanStart) / 1e9).build();
            done.write(files.scanJson());
            ReportPage.write(files, done);
            return done;
        }
    }

    /**
     * Runs the {@link NaturalFeatureCheck} on every converged label below the median L1 not checked yet, candidates
     * first: the verdict ({@link FlagRule#NCGUARD}) asks it of every small trigger, not only of the outliers of the
     * MAD test, and the stored shares let other rules be measured on the scan later without scanning again (every
     * size test looks only below the median).
     */
    private boolean checkOutliers(ScanReport.Builder report, TriggerStore store, Batch clean, ImageSource data,
            ScanFiles files) throws NcguardException {
        ScanReport before = report.build();
        List<Integer> unchecked = new ArrayList<>(uncheckedOutliers(before));
        before.labels().stream().filter(r -> r.converged() && r.naturalShare() == null && r.l1() < before.median())
                .map(LabelResult::label).filter(l -> !unchecked.contains(l)).forEach(unchecked::add);
        if (unchecked.isEmpty()) {
            return false;
        }
        long start = System.nanoTime();
        try (OrtScorer scorer = new OrtScorer(model, new ScorerOptions(NativeThreads.count()))) {
            NaturalFeatureCheck check = new NaturalFeatureCheck(scorer, preprocessor, clean.shape(), clean.pixels(),
                    clean.labels());
            for (int label : unchecked) {
                double share = check.naturalShare(storedTrigger(store, label));
                report.naturalShare(label, share);
                log.debug("label {}: natural share {}", label, String.format("%.0f%%", 100 * share));
            }
        }
        measureTransfer(report, store, clean, data, files);
        ScanReport after = report.build();
        for (int label : after.flagged()) {
            log.info("label {} flagged: {}", label, after.result(label).orElseThrow().naturalShare() == null ? ""
                    : String.format("%.0f%% of the stamped images that reach it lie among its own clean images",
                            100 * after.result(label).orElseThrow().naturalShare()));
        }
        log.info("natural-feature check of {} label(s) in {}s", unchecked.size(),
                Math.round((System.nanoTime() - start) / 1e9));
        return true;
    }

    /**
     * Runs the {@link TransferCheck} on every converged label below the median (every size test looks only there),
     * so that rules can be measured on the stored scan later; the reference model is trained once, the check of a
     * label is one pass over the clean samples.
     */
    private void measureTransfer(ScanReport.Builder report, TriggerStore store, Batch clean, ImageSource data,
            ScanFiles files) throws NcguardException {
        ScanReport before = report.build();
        List<Integer> small = before.labels().stream()
                .filter(r -> r.converged() && r.l1() < before.median() && r.transfer() == null)
                .map(LabelResult::label).toList();
        if (small.isEmpty()) {
            return;
        }
        int images = Math.min(data.count(), imagesForTransferCheck(model.labels()));
        if (images < TransferCheck.MIN_IMAGES_PER_LABEL * model.labels()) {
            log.info("transfer check skipped: {} clean images for {} labels, fewer than {} per label to train a "
                    + "reference model on; the verdict rests on the natural share and the size guard", images,
                    model.labels(), TransferCheck.MIN_IMAGES_PER_LABEL);
            return;
        }
        long start = System.nanoTime();
        Batch training = sampleImages(data, images);
        try (TransferCheck check = TransferCheck.open(files.referenceModel(), training, model.labels(), clean)) {
            if (!check.competent()) {
                log.warn("transfer check skipped: the reference model reached {}% on held-out clean images (under "
                        + "{}%), too few clean images per label to learn them; the verdict rests on the natural share "
                        + "and the size guard. Give more clean images with --data to use it.",
                        String.format(Locale.ROOT, "%.1f", 100 * check.referenceAccuracy()),
                        Math.round(100 * TransferCheck.MIN_REFERENCE_ACCURACY));
                return;
            }
            log.info("reference model: {}% on held-out clean images",
                    String.format(Locale.ROOT, "%.1f", 100 * check.referenceAccuracy()));
            for (int label : small) {
                double transfer = check.transfer(storedTrigger(store, label));
                report.transfer(label, transfer);
                log.debug("label {}: transfer {}", label, String.format("%.1f%%", 100 * transfer));
            }
        }
        log.info("transfer check of {} label(s) in {}s", small.size(), Math.round((System.nanoTime() - start) / 1e9));
    }

    private static ReversedTrigger storedTrigger(TriggerStore store, int label) throws NcguardException {
        return store.load(label).orElseThrow(() -> new NcguardException("the trigger file of label " + label
                + " is missing from the scan folder; start the scan over"));
    }

    private static List<Integer> uncheckedOutliers(ScanReport report) {
        return report.outliers().stream().filter(l -> report.result(l).orElseThrow().naturalShare() == null).toList();
    }

    private void runGroups(List<Integer> todo, TriggerOptimizer optimizer, float[] images, int n, ScanFiles files,
            TriggerStore store, ScanReport.Builder report, boolean recordResults, BooleanSupplier cancelled)
            throws NcguardException {
        long start = System.nanoTime();
        int[] finished = {0};
        double[] labelSeconds = {0};
        ImageShape shape = model.input().shape();
        NcguardException[] failure = {null};
        optimizer.optimise(todo, images, n, seed, new ProgressLog(settings.maxSteps(), cancelled), o -> {
            try {
                store.save(new ReversedTrigger(o.label(), shape.channels(), shape.height(), shape.width(), o.mask(),
                        o.pattern()));
                if (recordResults) {
                    report.result(o.converged()
                            ? LabelResult.converged(o.label(), o.l1(), o.attackSuccess(), o.steps(), o.seconds())
                            : LabelResult.notConverged(o.label(), o.attackSuccess(), o.steps(), o.seconds()));
                }
                report.build().write(files.scanJson());
            } catch (NcguardException e) {
                failure[0] = e;
            }
            finished[0]++;
            labelSeconds[0] += o.seconds();
            double elapsed = (System.nanoTime() - start) / 1e9;
            // When a label stops depends on the early-stop rule, so time left is estimated from the labels finished
            // so far: each label's seconds are its share of the passes it was part of.
            int left = todo.size() - finished[0];
            String estimate = left == 0 ? ""
                    : String.format(", about %ds left", Math.round(labelSeconds[0] / finished[0] * left));
            log.info("label {}: {} after {} steps, L1 {}, attack success {}; {}/{} labels done in {}s{}",
                    o.label(), o.converged() ? "converged" : "NOT converged", o.steps(),
                    String.format("%.2f", o.l1()), String.format("%.3f", o.attackSuccess()), finished[0], todo.size(),
                    Math.round(elapsed), estimate);
        });
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    private List<Integer> allLabels() {
        return allLabels(model);
    }

    /** A builder holding what the folder already has (resume), or a fresh one; refuses to overwrite a scan. */
    private ScanReport.Builder startReport(ScanFiles files, List<Integer> requested, ScanShard shard, String data,
            boolean resume) throws NcguardException {
        Map<String, Object> config = config(requested, data, null);
        ScanReport.Builder fresh = ScanReport.builder(model.source(), model.sha256(), model.labels())
                .requestedLabels(requested).config(config).seed(seed).shard(shard);
        if (Files.exists(files.scanJson())) {
            if (!resume) {
                throw new NcguardException(files.scanJson().getParent() + " already holds a scan; continue it with "
                        + "--resume, or choose another --out");
            }
            ScanReport previous = ScanReport.read(files.scanJson());
            if (!previous.modelSha256().equals(model.sha256())) {
                throw new NcguardException(files.scanJson() + " is a scan of another model (sha256 "
                        + previous.modelSha256() + ", this one is " + model.sha256() + "); choose another --out");
            }
            requireSameSearch(previous, fresh.build(), files.scanJson().getParent());
            if (!Objects.equals(previous.shard(), shard)) {
                throw new NcguardException(files.scanJson().getParent() + " holds " + describe(previous.shard())
                        + ", not " + describe(shard) + "; resume it with the same --shard, or choose another --out");
            }
            log.info("{} label(s) already scanned (an earlier run, or the merged shards); continuing",
                    previous.labels().size());
            return previous.toBuilder().requestedLabels(requested).config(config).seed(seed);
        }
        return fresh;
    }

    private static String describe(ScanShard shard) {
        return shard == null ? "a whole scan" : "shard " + shard.name() + " of a split scan";
    }

    /**
     * The scan's settings as scan.json records them; the gradient engine once it is known. {@code input} says where
     * the model and the clean images came from and how they were preprocessed, so that {@link ShardMerge} can open
     * them again.
     */
    private Map<String, Object> config(List<Integer> requested, String data, String gradients) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("settings", settings);
        if (gradients != null) {
            config.put("gradients", gradients);
        }
        config.put("fastSteps", fastSteps);
        config.put("labels", requested);
        config.put("preprocessing", preprocessor.toString());
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("model", Path.of(model.source()).toAbsolutePath().normalize().toString());
        input.put("data", data);
        input.put("scale", preprocessor.scale());
        input.put("mean", preprocessor.mean());
        input.put("std", preprocessor.std());
        config.put("input", input);
        return config;
    }

    /**
     * A resumed scan must search as the interrupted one did: labels found with other samples, steps or
     * preprocessing would not be comparable, and the anomaly index compares them. The group size only decides
     * which labels share a pass, so it may change.
     */
    private static void requireSameSearch(ScanReport previous, ScanReport now, Path dir) throws NcguardException {
        List<String> changed = previous.searchDifferences(now).stream()
                .map(d -> d.key() + " " + d.mine() + ", now " + d.theirs()).toList();
        if (!changed.isEmpty()) {
            throw new NcguardException(dir + " was scanned with other options (" + String.join("; ", changed)
                    + "); resume with the options of the first run, or choose another --out");
        }
    }

    /** The clean samples, converted to the model's channels ({@link #toModelChannels}), with their labels. */
    private Batch sampleImages(ImageSource data, int n) throws NcguardException {
        // A seeded random subset, as the original draws its samples at random from the clean set.
        int[] order = new int[data.count()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(order.length - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        Batch picked = data.batch(java.util.Arrays.copyOf(order, n));
        return new Batch(toModelChannels(picked.pixels(), n, data.shape()), picked.labels(), canonicalShape());
    }

    /**
     * The data's channels as the model's (grey to RGB, RGB to luminance), still canonical [0,1] CHW pixels: the
     * trigger is searched there, and the model's own scaling is applied to every stamped image ({@link StampedBatch}).
     */
    private float[] toModelChannels(float[] pixels, int n, ImageShape data) throws NcguardException {
        return new Preprocessor(canonicalShape()).apply(pixels, n, data);
    }

    /** Canonical CHW in the model's channels: the images the trigger is searched on. */
    private ImageShape canonicalShape() {
        ImageShape shape = model.input().shape();
        return new ImageShape(shape.channels(), shape.height(), shape.width(), Layout.NCHW);
    }

    private float[] gains() {
        float[] g = new float[model.input().shape().channels()];
        for (int c = 0; c < g.length; c++) {
            g[c] = preprocessor.gain(c);
        }
        return g;
    }

    private float[] offsets() {
        float[] o = new float[model.input().shape().channels()];
        for (int c = 0; c < o.length; c++) {
            o[c] = preprocessor.offset(c);
        }
        return o;
    }
}
