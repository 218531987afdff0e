package org.ncguard.mitigate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ncguard.NcguardException;
import org.ncguard.data.Trigger;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.OnnxModel;
import org.ncguard.profile.ScanSource;
import org.ncguard.reverse.ReversedTrigger;
import org.ncguard.reverse.ScanFiles;
import org.ncguard.reverse.ScanReport;
import org.ncguard.reverse.TriggerStore;

/**
 * The reversed triggers a mitigation works from: a finished scan of the very model being mitigated, and the triggers of
 * its flagged labels (or of the labels the user names).
 *
 * @param report  the scan's report
 * @param source  where it came from, for provenance
 * @param stamps  the triggers, ascending by label, in the model's channels
 */
public record ScanTriggers(ScanReport report, ScanSource source, List<ProfileBuilder.Stamp> stamps) {

    /**
     * Reads the scan in {@code dir} and the triggers of {@code labels}, or of the flagged labels when null.
     *
     * @throws NcguardException when the scan is of another model, incomplete, or lacks a trigger
     */
    public static ScanTriggers load(Path dir, OnnxModel model, List<Integer> labels) throws NcguardException {
        ScanFiles files = new ScanFiles(dir);
        if (!Files.isRegularFile(files.scanJson())) {
            throw new NcguardException("no scan in " + dir + " (expected " + files.scanJson() + "); run 'ncguard scan "
                    + "--model " + model.source() + " --out " + dir + "' first");
        }
        ScanReport report = ScanReport.read(files.scanJson());
        if (!report.modelSha256().equals(model.sha256())) {
            throw new NcguardException("the scan in " + dir + " is of another model (" + report.model() + ", sha256 "
                    + report.modelSha256().substring(0, 12) + "...), not of " + model.source() + " (sha256 "
                    + model.sha256().substring(0, 12) + "...); scan this model first");
        }
        if (!report.complete()) {
            throw new NcguardException("the scan in " + dir + " is incomplete (labels " + report.missingLabels()
                    + " missing); finish it with 'ncguard scan --resume --out " + dir + "'");
        }
        if (report.shard() != null) {
            throw new NcguardException("the scan in " + dir + " is shard " + report.shard().name() + " of a split scan, "
                    + "with no verdict over the model; join the shards with 'ncguard scan merge DIR... --out MERGED' "
                    + "and give the merged folder");
        }
        if (report.labelCount() != model.labels()) {
            throw new NcguardException("the scan in " + dir + " has " + report.labelCount() + " labels, "
                    + model.source() + " has " + model.labels());
        }
        List<Integer> wanted = labels == null ? report.flagged() : labels.stream().sorted().distinct().toList();
        ImageShape canonical = ModelImages.canonical(model.input().shape());
        TriggerStore store = new TriggerStore(files);
        List<ProfileBuilder.Stamp> stamps = new ArrayList<>();
        for (int label : wanted) {
            if (label < 0 || label >= model.labels()) {
                throw new NcguardException("label " + label + " is out of range: " + model.source() + " has labels 0.."
                        + (model.labels() - 1));
            }
            ReversedTrigger t = store.load(label).orElseThrow(() -> new NcguardException("the scan in " + dir
                    + " has no reversed trigger for label " + label + " (" + files.triggerJson(label) + ")"));
            Trigger trigger = t.toTrigger();
            if (!trigger.shape().equals(canonical)) {
                throw new NcguardException("the reversed trigger of label " + label + " in " + dir + " is "
                        + trigger.shape() + ", the model takes " + canonical);
            }
            stamps.add(new ProfileBuilder.Stamp(trigger, label));
        }
        return new ScanTriggers(report, new ScanSource(dir.toString(), report.verdict().name().toLowerCase(),
                sha256(files.scanJson())), stamps);
    }

    /** The labels whose triggers were loaded, ascending. */
    public List<Integer> labels() {
        return stamps.stream().map(ProfileBuilder.Stamp::label).toList();
    }

    /** Label to its reversed trigger, ascending by label. */
    public Map<Integer, Trigger> triggers() {
        Map<Integer, Trigger> map = new LinkedHashMap<>();
        stamps.forEach(s -> map.put(s.label(), s.trigger()));
        return map;
    }

    private static String sha256(Path file) throws NcguardException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new NcguardException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
