package org.ncguard.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ncguard.NcguardException;
import org.ncguard.experiment.Experiment;
import org.ncguard.experiment.ExperimentSettings;
import org.ncguard.experiment.Tasks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ncguard experiment}: the paper's evaluation on this code, resumable, written as results.md and plots. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Reproduce the paper: train infected models and clean twins per task, evaluate them (Table 2), "
                + "scan each with every seed (Fig. 3, 4), build the input filter (Fig. 5a), prune (Fig. 5b/c) and "
                + "unlearn (Table 4), time scans against the label count, and write results.md, results.html and PNG "
                + "plots. Every finished step is kept in --out; --resume reads it back. Progress goes to stderr.")
final class ExperimentCommand implements Callable<Integer> {

    @Option(names = "--tasks", split = ",", paramLabel = "LIST",
            description = "Tasks, comma-separated, from: fashion, signs, watermark, glyphs, checker (default: all). "
                    + "--tasks none runs only the scaling study.")
    List<String> tasks;

    @Option(names = "--seeds", defaultValue = "3", paramLabel = "N",
            description = "Scan seeds per model (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--out", defaultValue = "experiment", paramLabel = "DIR",
            description = "Where models, scans and finished steps are kept (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--results", paramLabel = "DIR",
            description = "Where results.md, results.html and the PNG plots go (default: --out).")
    Path results;

    @Option(names = "--resume", description = "Continue the experiment in --out: finished steps are read back.")
    boolean resume;

    @Option(names = "--train-images", defaultValue = "0", paramLabel = "N",
            description = "Training images per task (default: the whole training split).")
    int trainImages;

    @Option(names = "--test-images", defaultValue = "2000", paramLabel = "N",
            description = "Test images of Table 2 and the patches (default: ${DEFAULT-VALUE}).")
    int testImages;

    @Option(names = "--epochs", defaultValue = "4", paramLabel = "N",
            description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--samples", defaultValue = "1000", paramLabel = "N",
            description = "Clean images per scan step (default: ${DEFAULT-VALUE}, the paper's).")
    int samples;

    @Option(names = "--fast", arity = "0..1", fallbackValue = "30", defaultValue = "0", paramLabel = "STEPS",
            description = "Scan with early detection, a short search of STEPS (default 30) for every label "
                    + "(default: the full search).")
    int fast;

    @Option(names = "--max-steps", defaultValue = "1000", paramLabel = "N",
            description = "Steps per label at most (default: ${DEFAULT-VALUE}).")
    int maxSteps;

    @Option(names = "--profile-samples", defaultValue = "3000", paramLabel = "N",
            description = "Clean images of the input filter (default: ${DEFAULT-VALUE}).")
    int profileSamples;

    @Option(names = "--glyph-labels", defaultValue = "520", paramLabel = "N",
            description = "Labels of the glyph task (default: ${DEFAULT-VALUE}).")
    int glyphLabels;

    @Option(names = "--scaling", defaultValue = "10,43,100,520", split = ",", paramLabel = "LIST",
            description = "Label counts of the scan-time study; 'none' to skip it (default: ${DEFAULT-VALUE}).")
    List<String> scaling;

    @Option(names = "--images-per-label", defaultValue = "60", paramLabel = "N",
            description = "Training images per label of the glyph tasks (default: ${DEFAULT-VALUE}).")
    int imagesPerLabel;

    @Mixin
    ThreadsOption threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ExperimentSettings settings;
        try {
            settings = new ExperimentSettings(out, results != null ? results : out,
                    tasks == null ? Tasks.IDS : tasks.equals(List.of("none")) ? List.of() : tasks, seeds, resume,
                    trainImages, testImages, epochs, samples, fast, maxSteps, profileSamples, glyphLabels,
                    labelCounts(), imagesPerLabel, threads.configure());
        } catch (IllegalArgumentException e) {
            throw new NcguardException("bad experiment option: " + e.getMessage());
        }
        // The results page names the exact command that produced it.
        String command = "ncguard " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        Experiment.prepare(settings, System.err).run(command);
        System.out.println(settings.results().resolve("results.md"));
        return 0;
    }

    private List<Integer> labelCounts() throws NcguardException {
        if (scaling.equals(List.of("none"))) {
            return List.of();
        }
        try {
            return scaling.stream().map(String::trim).map(Integer::parseInt).toList();
        } catch (NumberFormatException e) {
            throw new NcguardException("--scaling takes label counts like 10,43,100,520 or 'none', found "
                    + String.join(",", scaling));
        }
    }
}
