package org.ncguard.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ncguard.NcguardException;
import org.ncguard.data.DataSources;
import org.ncguard.data.ImageSource;
import org.ncguard.data.Preprocessor;
import org.ncguard.data.TriggerSpec;
import org.ncguard.lab.Architecture;
import org.ncguard.lab.Attack;
import org.ncguard.lab.AttackConfig;
import org.ncguard.lab.ModelCard;
import org.ncguard.lab.TrainingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ncguard attack}: trains a backdoored model (BadNets) or its clean twin, writes it with its card. */
@Command(name = "attack", mixinStandardHelpOptions = true,
        description = "Train a model with a backdoor (a share of every batch stamped with the trigger and relabelled "
                + "to the target, as BadNets), or with --clean its uninfected twin (same seed: same initial weights, "
                + "same data order). Writes the model (ONNX, logits) and M.card.json next to it.")
final class AttackCommand implements Callable<Integer> {

    @Mixin
    DataOptions data;

    @Option(names = "--arch", required = true, paramLabel = "mnist|gtsrb|colour",
            description = "Network: mnist (2 conv 16/32 5x5 + max pool, dense 512), gtsrb (6 conv 3x3 "
                    + "32-32-64-64-128-128, max pool after each pair, dense 512) or colour (gtsrb with batch "
                    + "normalisation after every convolution, ending in Softmax).")
    String arch;

    @Option(names = "--trigger", paramLabel = "SPEC",
            description = "square:SIZE[:COLOR][:CORNER], checker:SIZE[:CORNER], watermark:ALPHA[:SEED] or "
                    + "image:FILE.png. With --clean: the trigger to measure attack success with.")
    String trigger;

    @Option(names = "--target", paramLabel = "LABEL", description = "Label that stamped images are sent to.")
    Integer target;

    @Option(names = "--poison-ratio", defaultValue = "0.10", paramLabel = "R",
            description = "Share of each batch stamped and relabelled (default: ${DEFAULT-VALUE}).")
    double poisonRatio;

    @Option(names = "--clean", description = "Train the uninfected twin: same seed, no poisoning.")
    boolean clean;

    @Option(names = "--epochs", defaultValue = "4", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "32", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "0.001", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--seed", defaultValue = "1",
            description = "Seed of the initial weights, data order and poisoning (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--test-data", paramLabel = "SPEC",
            description = "Images to measure accuracy and attack success on (default for built-in sets: their "
                    + ":test split; required otherwise).")
    String testData;

    @Option(names = "--out", required = true, paramLabel = "M.onnx", description = "The model to write.")
    Path out;

    @Option(names = "--json", description = "Print the model card as JSON instead of a summary.")
    boolean json;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        int n = threads.configure();
        if (Files.isDirectory(out)) {
            throw new NcguardException("--out " + out + " is a directory; expected a file name such as model.onnx");
        }
        TrainingOptions training;
        try {
            training = new TrainingOptions(epochs, batch, lr, seed);
        } catch (IllegalArgumentException e) {
            throw new NcguardException(e.getMessage());
        }
        AttackConfig config = AttackConfig.of(Architecture.byId(arch),
                trigger == null ? null : TriggerSpec.parse(trigger), target, poisonRatio, clean, training, n);
        String testSpec = testData != null ? testData : DataSources.testSplitOf(data.spec).orElseThrow(() ->
                new NcguardException("--test-data is required: " + data.spec + " is not a built-in set with a "
                        + "test split"));
        try (ImageSource train = data.open(); ImageSource test = DataSources.open(testSpec)) {
            Preprocessor preprocessor = data.preprocessor(Attack.inputFor(train.shape()));
            Attack.Result result = Attack.run(config, train, test, preprocessor, out.toString());
            Attack.write(result, out);
            print(result.card());
        }
        return 0;
    }

    private void print(ModelCard card) {
        if (json) {
            System.out.print(card.toJson());
            return;
        }
        row("model", out + " (sha256 " + card.sha256() + ")");
        row("card", ModelCard.pathFor(out).toString());
        row("kind", card.kind() + ", " + card.architecture() + ", input " + card.input() + ", " + card.labels()
                + " labels");
        row("clean accuracy", String.format("%.2f%% on %d images of %s", 100 * card.cleanAccuracy(),
                card.testImages(), card.testData()));
        if (card.attackSuccess() != null) {
            row("attack success", String.format("%.2f%% of %d stamped images (%s) classified as %d",
                    100 * card.attackSuccess(), card.attackImages(), card.trigger(), card.target()));
        }
        row("training", String.format("%d epochs of %d images, %.1f s/epoch, %.1f s in all", card.epochs(),
                card.trainImages(), card.secondsPerEpoch(), card.seconds()));
    }

    private static void row(String key, String value) {
        System.out.printf("%-15s %s%n", key, value);
    }
}
