package org.ncguard.experiment;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ncguard.NcguardException;
import org.ncguard.data.DataSources;
import org.ncguard.data.ImageSource;
import org.ncguard.data.Preprocessor;
import org.ncguard.engine.OnnxModel;
import org.ncguard.reverse.NeuralCleanse;
import org.ncguard.reverse.ReverseSettings;
import org.ncguard.reverse.ScanFiles;
import org.ncguard.reverse.ScanReport;

/**
 * Neural Cleanse scans of the models, one folder per model, scan settings and seed. A complete scan of the same model
 * is read back; an interrupted one is continued, as {@code ncguard scan --resume} does.
 */
final class Scans {

    private final ExperimentStore store;
    private final ExperimentSettings settings;

    Scans(ExperimentStore store, ExperimentSettings settings) {
        this.store = store;
        this.settings = settings;
    }

    /** The scan mode's name in folder names and tables: {@code full} or {@code fastN}. */
    static String mode(int fastSteps) {
        return fastSteps == 0 ? "full" : "fast" + fastSteps;
    }

    /** The folder of a scan of the model {@code stem} on {@code task}'s clean images. */
    Path dir(Task task, String stem, int fastSteps, long seed) {
        String key = StepKey.of(Integer.toString(settings.scanSamples()), Integer.toString(settings.maxSteps()),
                Integer.toString(fastSteps), task.scan());
        return store.scan(stem, mode(fastSteps) + "-" + key, seed);
    }

    /** Whether a complete scan is already there. */
    boolean done(Task task, String stem, int fastSteps, long seed) {
        return complete(new ScanFiles(dir(task, stem, fastSteps, seed)), null);
    }

    /** Whether a complete scan is already there and flagged no label. */
    boolean flaggedNothing(Task task, String stem, int fastSteps, long seed) {
        ScanFiles files = new ScanFiles(dir(task, stem, fastSteps, seed));
        try {
            return complete(files, null) && ScanReport.read(files.scanJson()).flagged().isEmpty();
        } catch (NcguardException e) {
            return false;
        }
    }

    /** The complete scan of {@code model} with this seed, run (or finished) first when needed. */
    ScanReport ensure(Task task, String stem, Path model, int fastSteps, long seed) throws NcguardException {
        Path dir = dir(task, stem, fastSteps, seed);
        ScanFiles files = new ScanFiles(dir);
        OnnxModel m = OnnxModel.load(model);
        if (complete(files, m.sha256())) {
            return ScanReport.read(files.scanJson()); // judged by the current rule
        }
        ReverseSettings reverse = ReverseSettings.defaults().withSamples(settings.scanSamples())
                .withMaxSteps(settings.maxSteps());
        try (ImageSource clean = DataSources.open(task.scan())) {
            return new NeuralCleanse(m, new Preprocessor(m.input().shape()), reverse, seed, fastSteps)
                    .scan(clean, null, dir, Files.isRegularFile(files.scanJson()), () -> false);
        }
    }

    private static boolean complete(ScanFiles files, String sha256) {
        if (!Files.isRegularFile(files.scanJson())) {
            return false;
        }
        try {
            ScanReport r = ScanReport.read(files.scanJson());
            return r.complete() && (sha256 == null || r.modelSha256().equals(sha256));
        } catch (NcguardException e) {
            return false;
        }
    }
}
