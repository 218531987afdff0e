package org.ncguard.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ncguard.NcguardException;
import org.ncguard.data.ImageSource;
import org.ncguard.data.Trigger;
import org.ncguard.data.TriggerSpec;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.OrtScorer;
import org.ncguard.engine.ScorerOptions;
import org.ncguard.lab.Evaluation;
import org.ncguard.lab.Evaluator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ncguard evaluate}: accuracy of any ONNX classifier and, with a trigger, its attack success rate. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Score a model with ONNX Runtime on labelled images: accuracy, and with --trigger and --target "
                + "the attack success rate (stamped images whose true label is not the target, classified as the "
                + "target).")
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "M.onnx", description = "The ONNX classifier.")
    Path model;

    @Mixin
    DataOptions data;

    @Mixin
    RealTriggerOptions real;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        TriggerSpec spec = real.spec();
        int n = threads.count();
        OnnxModel m = OnnxModel.load(model);
        long start = System.nanoTime();
        Evaluation e;
        String dataName;
        try (ImageSource images = data.open(); OrtScorer scorer = new OrtScorer(m, new ScorerOptions(n))) {
            dataName = images.name();
            Trigger stamp = spec == null ? null : spec.build(images.shape());
            e = new Evaluator(scorer, data.preprocessor(m.input().shape())).evaluate(images, stamp,
                    real.targetOrNone());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (json) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("accuracy", e.accuracy());
            r.put("attackSuccess", e.attackSuccess());
            r.put("samples", e.samples());
            r.put("correct", e.correct());
            r.put("attackSamples", e.withTrigger() ? e.attackSamples() : null);
            r.put("trigger", spec == null ? null : spec.spec());
            r.put("target", real.target);
            r.put("model", m.source());
            r.put("sha256", m.sha256());
            r.put("data", dataName);
            r.put("seconds", seconds);
            System.out.println(new ObjectMapper().writeValueAsString(r));
        } else {
            row("model", m.source() + " (sha256 " + m.sha256() + ")");
            row("data", dataName + ", " + e.samples() + " images");
            row("accuracy", String.format("%.2f%% (%d of %d)", 100 * e.accuracy(), e.correct(), e.samples()));
            if (e.withTrigger()) {
                row("attack success", e.attackSuccess() == null ? "n/a: every image has the target label"
                        : String.format("%.2f%% (%d of %d stamped images with another label classified as %d)",
                                100 * e.attackSuccess(), e.attackHits(), e.attackSamples(), real.target));
            }
        }
        return 0;
    }

    private static void row(String key, String value) {
        System.out.printf("%-15s %s%n", key, value);
    }
}
