package org.ncguard.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ncguard.engine.ModelInput;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.OrtScorer;
import org.ncguard.engine.ParityCheck;
import org.ncguard.engine.ParityResult;
import org.ncguard.engine.ScorerOptions;
import org.ncguard.engine.translate.GraphTranslator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ncguard inspect}: what ncguard sees in a model, and whether its differentiable copy is faithful. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a model's input, labels, output kind, penultimate layer and ops, and check that the "
                + "differentiable graph matches ONNX Runtime.")
final class InspectCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "M.onnx", description = "The ONNX classifier.")
    Path model;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--parity-samples", defaultValue = "4", paramLabel = "N",
            description = "Random inputs for the parity check (default: ${DEFAULT-VALUE}).")
    int paritySamples;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        int n = threads.configure();
        OnnxModel m = OnnxModel.load(model);
        GraphTranslator.checkSupported(m);
        ParityResult parity;
        try (OrtScorer scorer = new OrtScorer(m, new ScorerOptions(n))) {
            parity = ParityCheck.run(GraphTranslator.translate(m), scorer, paritySamples, 1);
        }
        Map<String, Object> report = report(m, parity);
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(report));
        } else {
            printText(m, parity);
        }
        return parity.ok() ? 0 : 1;
    }

    static Map<String, Object> report(OnnxModel m, ParityResult parity) {
        ModelInput in = m.input();
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("name", in.name());
        input.put("shape", in.dims());
        input.put("layout", in.shape().layout().name());
        input.put("channels", in.shape().channels());
        input.put("height", in.shape().height());
        input.put("width", in.shape().width());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", m.source());
        r.put("sha256", m.sha256());
        r.put("opset", m.opset());
        r.put("producer", m.proto().getProducerName() + " " + m.proto().getProducerVersion());
        r.put("input", input);
        r.put("labels", m.labels());
        r.put("output", m.outputKind().json());
        r.put("logitsTensor", m.logitsName());
        Map<String, Object> penultimate = new LinkedHashMap<>();
        penultimate.put("name", m.penultimate().tensor());
        penultimate.put("size", m.penultimate().size());
        r.put("penultimate", penultimate);
        r.put("ops", m.ops());
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("maxAbsDiff", parity.maxAbsDiff());
        p.put("outputScale", parity.outputScale());
        p.put("samples", parity.samples());
        p.put("tolerance", ParityCheck.RELATIVE_TOLERANCE);
        p.put("ok", parity.ok());
        r.put("parity", p);
        return r;
    }

    private static void printText(OnnxModel m, ParityResult parity) {
        ModelInput in = m.input();
        String producer = (m.proto().getProducerName() + " " + m.proto().getProducerVersion()).trim();
        row("model", m.source());
        row("sha256", m.sha256());
        row("opset", m.opset() + (producer.isEmpty() ? "" : " (exported by " + producer + ")"));
        row("input", "'" + in.name() + "' " + Arrays.toString(in.dims()).replace("-1", "batch") + ", " + in.shape());
        row("labels", String.valueOf(m.labels()));
        row("output", m.outputKind().json() + (m.outputName().equals(m.logitsName()) ? ""
                : " (logits read from '" + m.logitsName() + "', before the Softmax)"));
        row("penultimate", "'" + m.penultimate().tensor() + "', " + m.penultimate().size() + " features");
        row("ops", String.join(" ", m.ops()));
        row("parity", String.format("%s: max |SameDiff - ONNX Runtime| = %.3g on %d random inputs (output scale %.3g, "
                + "tolerance %.0e relative)", parity.ok() ? "ok" : "FAILED", parity.maxAbsDiff(), parity.samples(),
                parity.outputScale(), ParityCheck.RELATIVE_TOLERANCE));
    }

    private static void row(String key, String value) {
        System.out.printf("%-12s %s%n", key, value);
    }
}
