package org.ncguard.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ncguard.data.DataSources;
import org.ncguard.data.ImageSource;
import org.ncguard.engine.OnnxModel;
import org.ncguard.reverse.ShardMerge;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ncguard scan merge}: the shards of a split scan joined into the scan one run would have written. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = "Join the folders of 'scan --shard K/N' (one model, one set of options, every shard once) into "
                + "one scan folder with the anomaly index and the verdict over all labels, as one run writes it. "
                + "Reopens the model and the clean images the shards recorded (the natural-feature check and, with "
                + "--fast, the full search of the outliers need them).")
final class ScanMergeCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "The shards' --out folders.")
    List<Path> shards;

    @Option(names = "--out", paramLabel = "DIR",
            description = "The merged scan folder; must not exist or be empty (default: scan-<model name>).")
    Path out;

    @Option(names = "--model", paramLabel = "M.onnx",
            description = "The model, when it is no longer where the shards read it (checked by sha256).")
    Path model;

    @Option(names = "--data", paramLabel = "SPEC",
            description = "The clean images, when they are no longer where the shards read them (the same images).")
    String data;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        ShardMerge merge = ShardMerge.read(shards);
        threads.configure();
        OnnxModel m = OnnxModel.load(model != null ? model : merge.modelPath());
        Path dir = out != null ? out : ScanCommand.defaultOut(m);
        try (StopOnCtrlC ctrlC = new StopOnCtrlC();
                ImageSource source = DataSources.open(data != null ? data : merge.dataSpec())) {
            ScanCommand.print(merge.write(dir, m, source, ctrlC::cancelled), dir);
        }
        return 0;
    }
}
