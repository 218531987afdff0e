package org.ncguard.reverse;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.ncguard.AtomicFiles;
import org.ncguard.NcguardException;
import org.ncguard.engine.Versions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outcome of a Neural Cleanse scan, as stored in {@code scan.json}: per-label results, the outlier statistics,
 * the verdict, and the provenance needed to tell later which model, settings and code produced it.
 *
 * <p>Build one with {@link #builder}, which computes the statistics and the verdict from the label results. A scan
 * that was interrupted is stored with {@code complete = false}; {@link #read} and {@link #toBuilder} let a resumed
 * scan add the missing labels.
 *
 * @param formatVersion   version of this file's layout, {@value #FORMAT_VERSION}
 * @param model           the model's name (its file name)
 * @param modelSha256     SHA-256 of the model file, 64 lowercase hex digits
 * @param labelCount      number of labels the model has
 * @param classNames      class name per label, or empty when unknown
 * @param labels          results of the labels scanned so far, ascending by label
 * @param median          median L1 norm of the converged labels; null if none converged
 * @param mad             {@code 1.4826 * median(|L1 - median|)}; null if none converged
 * @param scale           what anomaly indices divide by: the MAD, or a fallback when it is 0 ({@link AnomalyIndex})
 * @param threshold       a label is an outlier when its index exceeds this (and its L1 is below the median)
 * @param flagBelowL1     L1 norm below which a label is an outlier ({@code median - threshold * scale}); null if not
 *                        positive
 * @param outliers        Neural Cleanse's outliers: labels with an anomalously small trigger, ascending
 * @param flagged         ncguard's verdict ({@link FlagRule#NCGUARD}): labels with an anomalously small trigger (on
 *                        L1 or on ln L1) that is not a natural feature of the label ({@link NaturalFeatureCheck}; a
 *                        label not checked yet counts as flagged), ascending
 * @param reasons         for each flagged label, which test picked it and why the natural-feature check did not
 *                        clear it
 * @param verdict         infected iff some label is flagged
 * @param maxAnomalyIndex largest anomaly index; null if none converged
 * @param seconds         wall-clock time of the scan
 * @param complete        whether every requested label (by default all) has a result
 * @param notes           caveats about the statistics (too few converged labels, MAD of 0)
 * @param config          the scan's settings
 * @param seed            random seed of the scan
 * @param createdAt       when the report was built, ISO-8601 (UTC)
 * @param versions        versions of ncguard, Java and libraries ({@link Versions})
 * @param shard           for one shard of a scan split over workers, which one; null for a whole scan. A shard's
 *                        statistics and verdict cover its own labels only: the anomaly index needs all labels
 *                        ({@code scan merge})
 */
public record ScanReport(int formatVersion, String model, String modelSha256, int labelCount, List<String> classNames,
                         List<LabelResult> labels, Double median, Double mad, Double scale, double threshold,
                         Double flagBelowL1, List<Integer> outliers, List<Integer> flagged,
                         Map<Integer, String> reasons, Verdict verdict,
                         Double maxAnomalyIndex, double seconds, boolean complete, List<String> notes,
                         Map<String, Object> config, long seed, String createdAt, Map<String, String> versions,
                         ScanShard shard) {

    /** The layout version this code writes and reads. */
    public static final int FORMAT_VERSION = 1;

    private static final Logger LOG = LoggerFactory.getLogger(ScanReport.class);

    /** Files already warned about as judged by an earlier rule: a run that reads a scan often says it once. */
    private static final Set<String> WARNED_REJUDGED = ConcurrentHashMap.newKeySet();

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** Whether the model carries a backdoor, by the outlier test. */
    public enum Verdict {
        /** Some label's reversed trigger is anomalously small and not a natural feature of the label. */
        @JsonProperty("infected") INFECTED,
        /** No label was flagged. */
        @JsonProperty("clean") CLEAN
    }

    public ScanReport {
        if (formatVersion < 1) {
            throw new IllegalArgumentException("formatVersion must be >= 1, found " + formatVersion);
        }
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model name is required, found " + (model == null ? "none" : "a blank"));
        }
        if (modelSha256 == null || !SHA256.matcher(modelSha256).matches()) {
            throw new IllegalArgumentException("modelSha256 must be 64 lowercase hex digits, found " + modelSha256);
        }
        if (labelCount < 1) {
            throw new IllegalArgumentException("labelCount must be >= 1, found " + labelCount);
        }
        classNames = classNames == null ? List.of() : List.copyOf(classNames);
        if (!classNames.isEmpty() && classNames.size() != labelCount) {
            throw new IllegalArgumentException("expected " + labelCount + " class names (one per label) or none, found "
                    + classNames.size());
        }
        labels = List.copyOf(labels == null ? List.of() : labels);
        int previous = -1;
        for (LabelResult result : labels) {
            if (result.label() <= previous || result.label() >= labelCount) {
                throw new IllegalArgumentException("labels must be ascending, unique and below " + labelCount
                        + ", found label " + result.label() + " after " + previous);
            }
            previous = result.label();
        }
        flagged = List.copyOf(flagged == null ? List.of() : flagged);
        outliers = List.copyOf(outliers == null ? flagged : outliers);
        reasons = Collections.unmodifiableMap(new TreeMap<>(reasons == null ? Map.of() : reasons));
        List<LabelResult> all = labels;
        for (int label : union(outliers, flagged)) {
            LabelResult result = all.stream().filter(r -> r.label() == label).findFirst().orElse(null);
            if (result == null || !result.converged()) {
                throw new IllegalArgumentException("outlier or flagged label " + label + " has no converged result");
            }
        }
        if (!flagged.containsAll(reasons.keySet())) {
            throw new IllegalArgumentException("reasons are for flagged labels only, found reasons for "
                    + reasons.keySet() + " and flagged " + flagged);
        }
        if (verdict == null || (verdict == Verdict.INFECTED) == flagged.isEmpty()) {
            throw new IllegalArgumentException("verdict must be infected iff some label is flagged; found verdict "
                    + verdict + " with flagged " + flagged);
        }
        if (!(threshold > 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("threshold must be positive and finite, found " + threshold);
        }
        requireFiniteOrNull("median", median);
        requireFiniteOrNull("mad", mad);
        requireFiniteOrNull("scale", scale);
        requireFiniteOrNull("flagBelowL1", flagBelowL1);
        requireFiniteOrNull("maxAnomalyIndex", maxAnomalyIndex);
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("seconds must be finite and >= 0, found " + seconds);
        }
        // complete means every requested label has a result: all labels, or the subset a scan was asked for.
        if (complete && labels.isEmpty()) {
            throw new IllegalArgumentException("a complete scan needs at least one label result");
        }
        notes = List.copyOf(notes == null ? List.of() : notes);
        config = Collections.unmodifiableMap(new LinkedHashMap<>(config == null ? Map.of() : config));
        if (createdAt == null) {
            throw new IllegalArgumentException("createdAt is required");
        }
        try {
            Instant.parse(createdAt);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("createdAt must be an ISO-8601 instant like 2025-01-31T12:00:00Z, found "
                    + createdAt);
        }
        versions = Collections.unmodifiableMap(new LinkedHashMap<>(versions == null ? Map.of() : versions));
    }

    private static List<Integer> union(List<Integer> a, List<Integer> b) {
        List<Integer> both = new ArrayList<>(a);
        b.stream().filter(l -> !a.contains(l)).forEach(both::add);
        return both;
    }

    private static void requireFiniteOrNull(String name, Double value) {
        if (value != null && !Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite, found " + value);
        }
    }

    /** Starts a report for a model with {@code labelCount} labels. */
    public static Builder builder(String model, String modelSha256, int labelCount) {
        return new Builder(model, modelSha256, labelCount);
    }

    /** A builder holding everything of this report except what it derives (statistics, verdict, completeness). */
    public Builder toBuilder() {
        return builder(model, modelSha256, labelCount)
                .classNames(classNames)
                .results(labels)
                .threshold(threshold)
                .config(config)
                .seed(seed)
                .seconds(seconds)
                .createdAt(Instant.parse(createdAt))
                .versions(versions)
                .shard(shard);
    }

    /**
     * The settings in which this scan and {@code other} differ: scans that differ in
     * any are not comparable (other samples, steps or preprocessing give other norms, and the anomaly index compares
     * them). Free to differ: which labels were scanned, the group size (it only decides which labels share a pass),
     * the gradient engine and where the model file lay.
     */
    public List<Difference> searchDifferences(ScanReport other) {
        Map<String, Object> mine = flatten("", config);
        Map<String, Object> theirs = flatten("", other.config);
        mine.put("seed", seed);
        theirs.put("seed", other.seed);
        List<Difference> changed = new ArrayList<>();
        // This scan's keys only: a setting added in a later version must not stop an older scan from resuming.
        for (String key : mine.keySet()) {
            boolean free = key.equals("labels") || key.equals("gradients") || key.endsWith("labelsPerGroup")
                    || key.equals("input.model");
            if (!free && !Objects.equals(mine.get(key), theirs.get(key))) {
                changed.add(new Difference(key, mine.get(key), theirs.get(key)));
            }
        }
        return changed;
    }

    /** A setting ({@code settings.maxSteps}, {@code seed}) and its values in this scan and in the other. */
    public record Difference(String key, Object mine, Object theirs) {}

    private static Map<String, Object> flatten(String prefix, Map<?, ?> map) {
        Map<String, Object> flat = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> inner) {
                flat.putAll(flatten(key + ".", inner));
            } else {
                flat.put(key, e.getValue());
            }
        }
        return flat;
    }

    /** Whether some label was flagged. */
    public boolean infected() {
        return verdict == Verdict.INFECTED;
    }

    /**
     * The converged label with the smallest L1: the one the verdict turns on. (The largest anomaly index may belong
     * to a label far above the median, which is never flagged.)
     */
    public Optional<LabelResult> smallestTrigger() {
        return labels.stream().filter(LabelResult::converged).min(Comparator.comparingDouble(LabelResult::l1));
    }

    /** Whether {@code label} is an outlier that the natural-feature check cleared: anomalously small, not flagged. */
    public boolean naturalFeature(int label) {
        return outliers.contains(label) && !flagged.contains(label);
    }

    /** The result of {@code label}, if it was scanned. */
    public Optional<LabelResult> result(int label) {
        return labels.stream().filter(r -> r.label() == label).findFirst();
    }

    /** Labels without a result yet, ascending: what a resumed scan still has to do. */
    public List<Integer> missingLabels() {
        List<Integer> missing = new ArrayList<>();
        int next = 0;
        for (LabelResult result : labels) {
            while (next < result.label()) {
                missing.add(next++);
            }
            next = result.label() + 1;
        }
        while (next < labelCount) {
            missing.add(next++);
        }
        return List.copyOf(missing);
    }

    /** The class name of {@code label}, or the label number when class names are unknown. */
    public String className(int label) {
        return classNames.isEmpty() ? Integer.toString(label) : classNames.get(label);
    }

    /**
     * Writes this report to {@code file} atomically: an interrupted write leaves the previous file in place.
     *
     * @throws NcguardException if the file cannot be written
     */
    public void write(Path file) throws NcguardException {
        try {
            AtomicFiles.write(file, Json.PRETTY.writeValueAsBytes(this));
        } catch (IOException e) {
            throw new NcguardException("Cannot write the scan report " + file + ": " + Json.firstLine(e), e);
        }
    }

    /**
     * Reads a report written by {@link #write}.
     *
     * @throws NcguardException if the file is missing, is not a scan report, or was damaged; the message names the
     *                          file and says it can be deleted to start the scan over
     */
    public static ScanReport read(Path file) throws NcguardException {
        ScanReport report;
        try {
            report = Json.MAPPER.readValue(Files.readAllBytes(file), ScanReport.class);
        } catch (NoSuchFileException e) {
            throw new NcguardException("Scan report " + file + " not found", e);
        } catch (IOException e) {
            throw new NcguardException("Scan report " + file + " is unreadable or damaged (" + Json.firstLine(e)
                    + "); delete it to start the scan over", e);
        }
        if (report == null) {
            throw new NcguardException("Scan report " + file + " is empty (JSON null); delete it to start the scan"
                    + " over");
        }
        if (report.formatVersion() != FORMAT_VERSION) {
            throw new NcguardException("Scan report " + file + " has format version " + report.formatVersion()
                    + ", expected " + FORMAT_VERSION + "; delete it to start the scan over");
        }
        ScanReport judged = report.judgedNow();
        if (!judged.flagged().equals(report.flagged())
                && WARNED_REJUDGED.add(file.toAbsolutePath().normalize() + " " + report.flagged())) {
            LOG.warn("{} was judged by an earlier rule, which flagged {}; the current rule flags {}, and this run "
                    + "uses that (the same scan with --resume rewrites the file and its page)", file, report.flagged(),
                    judged.flagged());
        }
        return judged;
    }

    /**
     * This report with the verdict of ncguard's current rule, which may have changed since the report was written:
     * the rule reads only figures the report keeps (every label's L1, anomaly index, share and transfer).
     */
    ScanReport judgedNow() {
        Map<Integer, String> now = flags(labels, threshold);
        List<Integer> nowFlagged = List.copyOf(now.keySet());
        if (nowFlagged.equals(flagged) && now.equals(reasons)) {
            return this;
        }
        return new ScanReport(formatVersion, model, modelSha256, labelCount, classNames, labels, median, mad, scale,
                threshold, flagBelowL1, outliers, nowFlagged, now, verdict(nowFlagged), maxAnomalyIndex, seconds,
                complete, notes, config, seed, createdAt, versions, shard);
    }

    /** ncguard's flags, with their reasons, for results that carry their anomaly index. */
    private static Map<Integer, String> flags(List<LabelResult> labels, double threshold) {
        return FlagRule.NCGUARD.withMadThreshold(threshold).flag(labels);
    }

    private static Verdict verdict(List<Integer> flagged) {
        return flagged.isEmpty() ? Verdict.CLEAN : Verdict.INFECTED;
    }

    /** Collects label results and provenance; {@link #build} computes the statistics and the verdict. */
    public static final class Builder {

        private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
        };

        private final String model;
        private final String modelSha256;
        private final int labelCount;
        private final TreeMap<Integer, LabelResult> results = new TreeMap<>();
        private List<String> classNames = List.of();
        private double threshold = AnomalyIndex.DEFAULT_THRESHOLD;
        private Map<String, Object> config = Map.of();
        private long seed;
        private Double seconds;
        private Instant createdAt;
        private Map<String, String> versions = Versions.all();
        private Collection<Integer> requested;
        private ScanShard shard;

        private Builder(String model, String modelSha256, int labelCount) {
            if (labelCount < 1) {
                throw new IllegalArgumentException("labelCount must be >= 1, found " + labelCount);
            }
            this.model = model;
            this.modelSha256 = modelSha256;
            this.labelCount = labelCount;
        }

        /** The labels the scan was asked for (default: all); the report is complete when each has a result. */
        public Builder requestedLabels(Collection<Integer> labels) {
            this.requested = List.copyOf(labels);
            return this;
        }

        /** Which shard of a split scan this is; null (the default) for a whole scan. */
        public Builder shard(ScanShard value) {
            this.shard = value;
            return this;
        }

        /** Class names, one per label; empty (the default) shows label numbers. */
        public Builder classNames(List<String> names) {
            this.classNames = List.copyOf(names);
            return this;
        }

        /** Adds a label's result, replacing an earlier one for the same label (a resumed scan redoing it). */
        public Builder result(LabelResult result) {
            if (result.label() >= labelCount) {
                throw new IllegalArgumentException("label " + result.label() + " is out of range: the model has "
                        + labelCount + " labels (0.." + (labelCount - 1) + ")");
            }
            results.put(result.label(), result.withAnomalyIndex(null));
            return this;
        }

        /** Records what the natural-feature check measured for {@code label}, which must have a result. */
        public Builder naturalShare(int label, double share) {
            LabelResult result = results.get(label);
            if (result == null) {
                throw new IllegalArgumentException("label " + label + " has no result to check");
            }
            results.put(label, result.withNaturalShare(share));
            return this;
        }

        /** Records what the transfer check measured for {@code label}, which must have a result. */
        public Builder transfer(int label, double share) {
            LabelResult result = results.get(label);
            if (result == null) {
                throw new IllegalArgumentException("label " + label + " has no result to check");
            }
            results.put(label, result.withTransfer(share));
            return this;
        }

        /** Adds several results, as {@link #result} does. */
        public Builder results(Collection<LabelResult> all) {
            all.forEach(this::result);
            return this;
        }

        /** The anomaly-index threshold; {@link AnomalyIndex#DEFAULT_THRESHOLD} unless set. */
        public Builder threshold(double value) {
            new AnomalyIndex(value); // validates
            this.threshold = value;
            return this;
        }

        /**
         * The scan's settings: a map, or any object Jackson can write (a config record). Stored as its JSON form,
         * so that the report equals itself after a round trip through scan.json.
         */
        public Builder config(Object settings) {
            try {
                this.config = Json.MAPPER.readValue(Json.MAPPER.writeValueAsBytes(settings), MAP);
            } catch (IOException e) {
                throw new IllegalArgumentException("scan settings must be writable as a JSON object: "
                        + Json.firstLine(e), e);
            }
            if (config == null) {
                config = Map.of();
            }
            return this;
        }

        /** The scan's random seed. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** Wall-clock seconds of the scan; the sum over the labels unless set. */
        public Builder seconds(double value) {
            this.seconds = value;
            return this;
        }

        /** Creation time; the time of {@link #build} unless set. Stored to the millisecond. */
        public Builder createdAt(Instant value) {
            this.createdAt = value;
            return this;
        }

        /** Versions to record; {@link Versions.all()} unless set. */
        public Builder versions(Map<String, String> value) {
            this.versions = new LinkedHashMap<>(value);
            return this;
        }

        /** Runs the outlier test over the converged labels and assembles the report. */
        public ScanReport build() {
            List<LabelResult> ordered = new ArrayList<>(results.values());
            List<Double> norms = new ArrayList<>(ordered.size());
            ordered.forEach(r -> norms.add(r.l1()));
            AnomalyIndex.Result test = new AnomalyIndex(threshold).apply(norms);
            List<LabelResult> labels = new ArrayList<>(ordered.size());
            for (int i = 0; i < ordered.size(); i++) {
                labels.add(ordered.get(i).withAnomalyIndex(test.indices().get(i)));
            }
            List<Integer> outliers = test.flaggedPositions().stream().map(i -> ordered.get(i).label()).toList();
            Map<Integer, String> reasons = flags(ordered, threshold);
            List<Integer> flagged = List.copyOf(reasons.keySet());
            List<String> notes = new ArrayList<>(test.notes());
            smallNonOutlier(labels, flagged, test.median(), test.mad()).ifPresent(notes::add);
            double totalSeconds = seconds != null ? seconds : ordered.stream().mapToDouble(LabelResult::seconds).sum();
            Instant created = (createdAt != null ? createdAt : Instant.now()).truncatedTo(ChronoUnit.MILLIS);
            return new ScanReport(FORMAT_VERSION, model, modelSha256, labelCount, classNames, labels, test.median(),
                    test.mad(), test.scale(), threshold, test.flagBelowL1(), outliers, flagged,
                    reasons, verdict(flagged), test.maxIndex(), totalSeconds,
                    requested == null ? labels.size() == labelCount : results.keySet().containsAll(requested),
                    notes, config, seed, created.toString(), versions, shard);
        }

        /**
         * A warning when the smallest trigger is tiny beside the median yet no outlier, because the other labels
         * spread widely: the MAD test misses such a backdoor (a planted checkerboard at 0.21 of the median scored
         * anomaly index 1.4), and a person should look at it.
         */
        private static Optional<String> smallNonOutlier(List<LabelResult> labels, List<Integer> outliers, Double median,
                Double mad) {
            return labels.stream().filter(LabelResult::converged).min(Comparator.comparingDouble(LabelResult::l1))
                    .filter(r -> median != null && !outliers.contains(r.label())
                            && r.l1() < NaturalFeatureCheck.NOTE_MEDIAN_FRACTION * median)
                    .map(r -> String.format(Locale.ROOT, "Label %d's trigger (L1 %.2f) is under half the median L1"
                            + " (%.2f) but not flagged (MAD %.2f): look at its trigger, and stamp triggers/label-%02d-stamp.png on another model"
                            + " of the same task with evaluate (a planted trigger works only on its own model).",
                            r.label(), r.l1(), median, mad, r.label()));
        }
    }
}
