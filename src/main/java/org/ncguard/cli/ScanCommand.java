package org.ncguard.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ncguard.NcguardException;
import org.ncguard.data.ImageSource;
import org.ncguard.data.Preprocessor;
import org.ncguard.engine.OnnxModel;
import org.ncguard.reverse.FlagRule;
import org.ncguard.reverse.LabelResult;
import org.ncguard.reverse.NeuralCleanse;
import org.ncguard.reverse.ReverseSettings;
import org.ncguard.reverse.ScanReport;
import org.ncguard.reverse.ScanShard;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ncguard scan}: Neural Cleanse on a model, with a report folder that survives Ctrl-C. */
@Command(name = "scan", mixinStandardHelpOptions = true, subcommands = ScanMergeCommand.class,
        modelTransformer = ScanCommand.OptionalForMerge.class,
        description = "Reverse-engineer the smallest trigger of every label (Neural Cleanse), flag anomalously small "
                + "ones, and write scan.json, the triggers and report.html into --out.")
final class ScanCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "M.onnx", description = "The ONNX classifier (required).")
    Path model;

    @Mixin
    DataOptions data;

    @Option(names = "--samples", defaultValue = "1000",
            description = "Clean samples per step (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--labels", defaultValue = "all", paramLabel = "all|LIST",
            description = "Labels to scan: all (default) or a comma-separated list.")
    String labels;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: scan-<model name>).")
    Path out;

    @Option(names = "--resume",
            description = "Continue the interrupted scan in --out, with the same options "
                    + "(--group and --labels may change).")
    boolean resume;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--max-steps", defaultValue = "1000",
            description = "Steps per label at most (default: ${DEFAULT-VALUE}).")
    int maxSteps;

    @Option(names = "--group", defaultValue = "10",
            description = "Labels optimised together in one batch (default: ${DEFAULT-VALUE}).")
    int group;

    @Option(names = "--fast", arity = "0..1", fallbackValue = "30", paramLabel = "STEPS",
            description = "Early detection: every label gets a short search (default 30 steps), the verdict comes from "
                    + "those, and only the outliers get the full search.")
    Integer fast;

    @Option(names = "--shard", paramLabel = "K/N",
            description = "Scan only shard K (0..N-1) of N: the i-th of the scan's labels (ascending) goes to shard "
                    + "i mod N. The shard's folder has no verdict; join the N folders with 'scan merge'.")
    String shard;

    @Mixin
    ThreadsOption threads;

    /**
     * Picocli checks a command's required options even when a subcommand runs ({@code scan merge DIR...}), so
     * {@code --model} and {@code --data} are checked in {@link #call} instead.
     */
    static final class OptionalForMerge implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            OptionSpec data = spec.findOption("--data");
            spec.remove(data);
            spec.addOption(data.toBuilder().required(false).description(data.description()[0] + " (required)")
                    .build());
            return spec;
        }
    }

    @Override
    public Integer call() throws Exception {
        if (model == null || data.spec == null) {
            throw new NcguardException("scan needs --model M.onnx and --data SPEC (or 'scan merge DIR...' to join the "
                    + "folders of a split scan)");
        }
        threads.configure();
        OnnxModel m = OnnxModel.load(model);
        ReverseSettings settings;
        try {
            settings = ReverseSettings.defaults().withMaxSteps(maxSteps).withLabelsPerGroup(group).withSamples(samples);
        } catch (IllegalArgumentException e) {
            throw new NcguardException("bad scan option: " + e.getMessage());
        }
        Path dir = out != null ? out : ScanCommand.defaultOut(m);
        List<Integer> scanLabels = parseLabels(labels);
        ScanShard part = shard == null ? null
                : ScanShard.parse(shard, scanLabels == null ? NeuralCleanse.allLabels(m) : scanLabels);
        try (StopOnCtrlC ctrlC = new StopOnCtrlC(); ImageSource source = data.open()) {
            Preprocessor pre = data.preprocessor(m.input().shape());
            NeuralCleanse scan = new NeuralCleanse(m, pre, settings, seed, fast == null ? 0 : fast);
            if (part == null) {
                print(scan.scan(source, scanLabels, dir, resume, ctrlC::cancelled), dir);
            } else {
                printShard(scan.scanShard(source, part, dir, resume, ctrlC::cancelled), dir);
            }
        }
        return 0;
    }

    /** {@code scan-<model name>}: where a scan of {@code m} goes without {@code --out}. */
    static Path defaultOut(OnnxModel m) {
        return Path.of("scan-" + m.source().replaceAll(".*/", "").replaceAll("\\.onnx$", ""));
    }

    private static List<Integer> parseLabels(String spec) throws NcguardException {
        return spec.equals("all") ? null : Labels.parse("--labels", spec);
    }

    /** A shard's labels, without anomaly indices or a verdict: those need all labels. */
    private static void printShard(ScanReport r, Path dir) {
        System.out.printf("%-8s %10s %8s %6s%n", "label", "L1", "success", "steps");
        for (LabelResult l : r.labels()) {
            System.out.printf("%-8d %10s %8.3f %6d%s%n", l.label(), twoDecimals(l.l1()), l.attackSuccess(), l.steps(),
                    l.converged() ? "" : "  not converged");
        }
        System.out.printf("shard %s: %d of %d label(s) in %.0fs%s; no verdict: the anomaly index needs all labels. "
                        + "Merge the %d shard folders with 'ncguard scan merge DIR...'%n", r.shard().name(),
                r.labels().size(), r.shard().labels().size(), r.seconds(),
                r.complete() ? "" : " (INCOMPLETE: continue with --resume)", r.shard().count());
        System.out.println("report: " + dir.resolve("report.html"));
    }

    static void print(ScanReport r, Path dir) {
        System.out.printf("%-8s %10s %10s %8s %6s %8s %9s%n", "label", "L1", "anomaly", "success", "steps", "natural",
                "transfer");
        List<Double> logIndex = FlagRule.logIndices(r.labels().stream().map(LabelResult::l1).toList());
        for (LabelResult l : r.labels()) {
            String mark = r.flagged().contains(l.label()) ? "  FLAGGED"
                    : r.naturalFeature(l.label()) ? "  outlier, natural feature" : l.converged() ? "" : "  not converged";
            if (r.flagged().contains(l.label()) && !r.outliers().contains(l.label())) {
                mark += String.format(" (index on ln L1 %.2f)", logIndex.get(r.labels().indexOf(l)));
            }
            String natural = l.naturalShare() == null ? "" : String.format("%.0f%%", 100 * l.naturalShare());
            String transfer = l.transfer() == null ? "" : String.format("%.1f%%", 100 * l.transfer());
            System.out.printf("%-8d %10s %10s %8.3f %6d %8s %9s%s%n", l.label(), twoDecimals(l.l1()),
                    twoDecimals(l.anomalyIndex()), l.attackSuccess(), l.steps(), natural, transfer, mark);
        }
        String verdict = r.complete() ? "verdict" : "verdict so far, on the " + r.labels().size() + " label(s) scanned";
        String smallest = r.smallestTrigger().map(l -> "smallest trigger: label " + l.label() + ", L1 "
                + twoDecimals(l.l1()) + ", anomaly index " + twoDecimals(l.anomalyIndex()) + "; ").orElse("");
        List<Integer> natural = r.outliers().stream().filter(l -> !r.flagged().contains(l)).toList();
        System.out.printf("%s: %s%s%s (%smedian L1 %s) in %.0fs%s%n", verdict,
                r.verdict().name().toLowerCase(), r.flagged().isEmpty() ? "" : ", flagged " + r.flagged(),
                natural.isEmpty() ? "" : ", natural-feature outliers " + natural + " not flagged",
                smallest, twoDecimals(r.median()), r.seconds(),
                r.complete() ? "" : " (INCOMPLETE: continue with --resume)");
        r.reasons().forEach((label, why) -> System.out.println("label " + label + " flagged: " + why));
        if (!r.outliers().equals(r.flagged())) {
            System.out.println("Neural Cleanse's own rule (anomaly index > " + twoDecimals(r.threshold()) + "): "
                    + (r.outliers().isEmpty() ? "clean" : "infected, outliers " + r.outliers()));
        }
        r.notes().forEach(note -> System.out.println("note: " + note));
        System.out.println("report: " + dir.resolve("report.html"));
    }

    private static String twoDecimals(Double value) {
        return value == null ? "-" : String.format("%.2f", value);
    }
}
