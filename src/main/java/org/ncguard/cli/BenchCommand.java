package org.ncguard.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ncguard.engine.EngineBenchmark;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;
import org.ncguard.engine.OnnxModel;
import org.ncguard.lab.Architecture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ncguard bench}: engine speed on this machine, printed as figures. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure ONNX Runtime scoring throughput and SameDiff training-step time. Without --model, "
                + "uses the paper's 2-conv MNIST network with random weights.")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "M.onnx", description = "Model to measure (default: built-in 2-conv net).")
    Path model;

    @Option(names = "--seconds", defaultValue = "3", description = "Seconds per figure (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--threads", defaultValue = "2", description = "Measure with 1..N threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() throws Exception {
        OnnxModel m = model != null ? OnnxModel.load(model) : OnnxModel.fromBytes("built-in 2-conv MNIST net",
                Architecture.MNIST.build(new ImageShape(1, 28, 28, Layout.NCHW), 10, 1).toByteArray());
        System.out.println("model: " + (model == null ? "built-in 2-conv MNIST net (random weights)" : m.source()));
        for (EngineBenchmark.Figure f : new EngineBenchmark(m, seconds).run(threads)) {
            System.out.println(f);
        }
        return 0;
    }
}
