package org.ncguard.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.ncguard.NcguardException;
import org.ncguard.engine.EngineBenchmark;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;
import org.ncguard.engine.OnnxModel;
import org.ncguard.guard.bench.GuardBench;
import org.ncguard.lab.Architecture;
import org.ncguard.profile.GuardProfile;
import org.ncguard.profile.ProfileJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ncguard bench}: engine speed on this machine, printed as figures. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure ONNX Runtime scoring throughput and SameDiff training-step time. Without --model, "
                + "uses the paper's 2-conv MNIST network with random weights.")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "M.onnx", description = "Model to measure (default: built-in 2-conv net).")
    Path model;

    @Option(names = "--seconds", defaultValue = "3",
            description = "Seconds per figure (default: ${DEFAULT-VALUE}; with --guard, per latency run, at least 10).")
    double seconds;

    @Option(names = "--threads", defaultValue = "2", description = "Measure with 1..N threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--guard", description = "Measure the streaming guard instead: throughput and latency on an "
            + "embedded broker, exactly-once and at-least-once, beside bare ONNX Runtime.")
    boolean guard;

    @Option(names = "--profile", paramLabel = "P.json",
            description = "With --guard: the model's profile (default: one made up with 100 neurons per label).")
    Path profile;

    @Option(names = "--requests", defaultValue = "20000",
            description = "With --guard: requests per throughput run (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "With --guard: a Kafka Streams setting of the measured guard, to measure a tuning "
                    + "(e.g. --set commit.interval.ms=200); repeatable.")
    Map<String, String> settings = new TreeMap<>();

    @Override
    public Integer call() throws Exception {
        if (guard) {
            return guard();
        }
        if (profile != null || !settings.isEmpty()) {
            throw new NcguardException((profile != null ? "--profile" : "--set") + " goes with --guard");
        }
        OnnxModel m = model != null ? OnnxModel.load(model) : OnnxModel.fromBytes("built-in 2-conv MNIST net",
                Architecture.MNIST.build(new ImageShape(1, 28, 28, Layout.NCHW), 10, 1).toByteArray());
        System.out.println("model: " + (model == null ? "built-in 2-conv MNIST net (random weights)" : m.source()));
        for (EngineBenchmark.Figure f : new EngineBenchmark(m, seconds).run(threads)) {
            System.out.println(f);
        }
        return 0;
    }

    private int guard() throws Exception {
        Path file = model;
        if (file == null) {
            file = Files.createTempFile("ncguard-bench", ".onnx");
            file.toFile().deleteOnExit();
            Files.write(file, Architecture.MNIST.build(new ImageShape(1, 28, 28, Layout.NCHW), 10, 1).toByteArray());
        }
        GuardProfile p = profile == null ? null : ProfileJson.read(profile);
        System.out.println("model: " + (model == null ? "built-in 2-conv MNIST net (random weights)" : model)
                + "; profile: " + (profile == null ? "made up, 100 neurons" : profile)
                + "; broker, guard and load generator in this JVM"
                + (settings.isEmpty() ? "" : "; guard settings " + settings));
        new GuardBench(file, p, requests, seconds < 10 ? 10 : seconds, settings, System.out).run();
        return 0;
    }
}
