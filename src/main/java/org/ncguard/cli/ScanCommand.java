package org.ncguard.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ncguard.NcguardException;
import org.ncguard.data.ImageSource;
import org.ncguard.data.Preprocessor;
import org.ncguard.engine.OnnxModel;
import org.ncguard.reverse.FlagRule;
import org.ncguard.reverse.LabelResult;
import org.ncguard.reverse.NeuralCleanse;
import org.ncguard.reverse.ReverseSettings;
import org.ncguard.reverse.ScanReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ncguard scan}: Neural Cleanse on a model, with a report folder that survives Ctrl-C. */
@Command(name = "scan", mixinStandardHelpOptions = true,
        description = "Reverse-engineer the smallest trigger of every label (Neural Cleanse), flag anomalously small "
                + "ones, and write scan.json, the triggers and report.html into --out.")
final class ScanCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "M.onnx", description = "The ONNX classifier.")
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

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        threads.configure();
        OnnxModel m = OnnxModel.load(model);
        ReverseSettings settings;
        try {
            settings = ReverseSettings.defaults().withMaxSteps(maxSteps).withLabelsPerGroup(group).withSamples(samples);
        } catch (IllegalArgumentException e) {
            throw new NcguardException("bad scan option: " + e.getMessage());
        }
        Path dir = out != null ? out : Path.of("scan-" + m.source().replaceAll(".*/", "").replaceAll("\\.onnx$", ""));
        // Ctrl-C: the hook asks the scan to stop and waits until it has written its incomplete report. It must not
        // wait for this thread to end: this thread's System.exit would then wait for the hook.
        AtomicBoolean cancelled = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            cancelled.set(true);
            try {
                finished.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try (ImageSource source = data.open()) {
            Preprocessor pre = data.preprocessor(m.input().shape());
            ScanReport report = new NeuralCleanse(m, pre, settings, seed, fast == null ? 0 : fast)
                    .scan(source, parseLabels(labels), dir, resume, cancelled::get);
            print(report, dir);
        } finally {
            finished.countDown();
            if (!cancelled.get()) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
        return 0;
    }

    private static List<Integer> parseLabels(String spec) throws NcguardException {
        return spec.equals("all") ? null : Labels.parse("--labels", spec);
    }

    private static void print(ScanReport r, Path dir) {
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
