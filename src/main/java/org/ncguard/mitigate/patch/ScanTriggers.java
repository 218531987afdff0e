package org.ncguard.mitigate.patch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ncguard.NcguardException;
import org.ncguard.data.Trigger;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.OnnxModel;
import org.ncguard.mitigate.ModelImages;
import org.ncguard.reverse.ReversedTrigger;
import org.ncguard.reverse.ScanFiles;
import org.ncguard.reverse.ScanReport;
import org.ncguard.reverse.TriggerStore;

/**
 * The reversed triggers of a scan's flagged labels, checked against the model they will patch: same file (sha256),
 * a complete scan, and triggers of the model's image size and channels.
 *
 * @param scanDir  the scan's output directory
 * @param report   its {@code scan.json}
 * @param triggers flagged label to its reversed trigger (canonical CHW, the model's channels), ascending
 */
public record ScanTriggers(Path scanDir, ScanReport report, Map<Integer, Trigger> triggers) {

    public ScanTriggers {
        if (triggers == null || triggers.isEmpty()) {
            throw new IllegalArgumentException("need at least one flagged label's trigger, found none");
        }
        triggers = Map.copyOf(triggers);
    }

    /** Reads the scan in {@code dir} and the triggers of its flagged labels, for {@code model}. */
    public static ScanTriggers load(Path dir, OnnxModel model) throws NcguardException {
        ScanFiles files = new ScanFiles(dir);
        if (!Files.isRegularFile(files.scanJson())) {
            throw new NcguardException("no scan.json in " + dir + "; give the --out folder of an ncguard scan");
        }
        ScanReport report = ScanReport.read(files.scanJson());
        if (!report.modelSha256().equals(model.sha256())) {
            throw new NcguardException("the scan in " + dir + " is of another model (" + report.model() + ", sha256 "
                    + report.modelSha256() + "), not of " + model.source() + " (sha256 " + model.sha256()
                    + "); scan this model first");
        }
        if (!report.complete()) {
            throw new NcguardException("the scan in " + dir + " is incomplete (labels " + report.missingLabels()
                    + " have no result); finish it with ncguard scan --resume first");
        }
        if (report.labelCount() != model.labels()) {
            throw new NcguardException("the scan in " + dir + " has " + report.labelCount() + " labels, "
                    + model.source() + " has " + model.labels());
        }
        List<Integer> flagged = report.flagged();
        if (flagged.isEmpty()) {
            throw new NcguardException("the scan in " + dir + " flagged no label (verdict " + report.verdict()
                    .name().toLowerCase(java.util.Locale.ROOT) + "): there is no backdoor to patch");
        }
        ImageShape canonical = ModelImages.canonical(model.input().shape());
        TriggerStore store = new TriggerStore(files);
        Map<Integer, Trigger> triggers = new LinkedHashMap<>();
        for (int label : flagged) {
            ReversedTrigger reversed = store.load(label).orElseThrow(() -> new NcguardException("the scan in " + dir
                    + " flagged label " + label + " but has no " + files.triggerJson(label) + "; scan again"));
            Trigger trigger = reversed.toTrigger();
            if (!trigger.shape().equals(canonical)) {
                throw new NcguardException("the reversed trigger of label " + label + " in " + dir + " is "
                        + trigger.shape() + ", the model takes " + canonical);
            }
            triggers.put(label, trigger);
        }
        return new ScanTriggers(dir, report, triggers);
    }

    /** The flagged labels, ascending. */
    public List<Integer> labels() {
        return triggers.keySet().stream().sorted().toList();
    }
}
