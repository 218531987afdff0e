package org.ncguard.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ncguard.data.DataSources;
import org.ncguard.data.ImageSource;
import org.ncguard.data.Preprocessor;
import org.ncguard.data.TriggerSpec;
import org.ncguard.engine.NativeThreads;
import org.ncguard.engine.OnnxModel;
import org.ncguard.lab.Architecture;
import org.ncguard.lab.Attack;
import org.ncguard.lab.AttackConfig;
import org.ncguard.lab.TrainingOptions;
import org.ncguard.reverse.LabelResult;
import org.ncguard.reverse.ReversedTrigger;
import org.ncguard.reverse.ScanFiles;
import org.ncguard.reverse.ScanReport;
import org.ncguard.reverse.TriggerStore;

/**
 * A small BadNets Fashion-MNIST model (the paper's MNIST net, a 4x4 white square sending images to label 7) and
 * scans of it written by code: the flagged label's reversed trigger is the square a real scan recovers, the other
 * labels get the larger norms real scans find.
 */
public final class PatchFixtures {

    public static final String TRIGGER = "square:4:white:bottom-right";
    public static final int TARGET = 7;
    public static final String TRAIN = "builtin:fashion-mnist?n=20000";
    public static final String TEST = "builtin:fashion-mnist:test?n=5000";

    private PatchFixtures() {
    }

    /** Whether the Fashion-MNIST files are installed. */
    public static boolean fashionMnist() {
        return Files.isDirectory(Path.of(DataSources.DEFAULT_DATASETS, "fashion-mnist"));
    }

    /** Trains the infected model into {@code dir} (about a minute on one thread). */
    public static Path infectedModel(Path dir) throws Exception {
        NativeThreads.configure(1);
        Path out = dir.resolve("infected.onnx");
        try (ImageSource train = DataSources.open(TRAIN); ImageSource test = DataSources.open(TEST)) {
            Preprocessor pre = new Preprocessor(Attack.inputFor(train.shape()));
            Attack.Result result = Attack.run(AttackConfig.of(Architecture.MNIST, TriggerSpec.parse(TRIGGER), TARGET,
                    0.1, false, new TrainingOptions(3, 32, 1e-3, 1), 1), train, test, pre, "infected.onnx");
            Attack.write(result, out);
        }
        return out;
    }

    /** A complete scan of {@code model} in {@code dir} that flags {@link #TARGET} with the square trigger. */
    public static Path scan(Path model, Path dir, boolean complete) throws Exception {
        OnnxModel m = OnnxModel.load(model);
        return scanFor(m.sha256(), model.getFileName().toString(), dir, complete);
    }

    /** A scan claiming to be of the model with {@code sha256}. */
    public static Path scanFor(String sha256, String name, Path dir, boolean complete) throws Exception {
        List<LabelResult> results = new ArrayList<>();
        double[] l1 = {60, 55, 52, 58, 50, 62, 49, 16, 57, 66};
        for (int label = 0; label < (complete ? 10 : 9); label++) {
            results.add(LabelResult.converged(label, l1[label], 0.99, 50, 1));
        }
        ScanReport report = ScanReport.builder(name, sha256, 10).results(results).build();
        ScanFiles files = new ScanFiles(dir);
        report.write(files.scanJson());
        new TriggerStore(files).save(square());
        return dir;
    }

    /** The 4x4 white square with a one-pixel margin at the bottom right of a 28x28 grey image. */
    public static ReversedTrigger square() {
        float[] mask = new float[28 * 28];
        float[] pattern = new float[28 * 28];
        for (int y = 23; y <= 26; y++) {
            for (int x = 23; x <= 26; x++) {
                mask[y * 28 + x] = 1f;
                pattern[y * 28 + x] = 1f;
            }
        }
        return new ReversedTrigger(TARGET, 1, 28, 28, mask, pattern);
    }
}
