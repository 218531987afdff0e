package org.ncguard.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ncguard.NcguardException;
import org.ncguard.data.TriggerSpec;
import org.ncguard.mitigate.patch.Measurement;
import org.ncguard.mitigate.patch.PatchCard;
import org.ncguard.mitigate.patch.PatchMethod;
import org.ncguard.mitigate.patch.PatchOutcome;
import org.ncguard.mitigate.patch.PatchOutputs;
import org.ncguard.mitigate.patch.PatchRequest;
import org.ncguard.mitigate.patch.PatchRun;
import org.ncguard.mitigate.patch.Preprocessing;
import org.ncguard.mitigate.patch.PruneLayer;
import org.ncguard.mitigate.patch.UnlearnSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ncguard patch}: removes a backdoor a scan found, by neuron pruning or unlearning, into a new ONNX file. */
@Command(name = "patch", mixinStandardHelpOptions = true,
        description = "Patch a model a scan found infected: prune the units its flagged labels' reversed triggers "
                + "excite, or unlearn the triggers by fine-tuning. Only weight values change; the original file is "
                + "never touched.")
final class PatchCommand implements Callable<Integer> {

    @Option(names = "--method", required = true, paramLabel = "prune|unlearn", description = "prune or unlearn.")
    String method;

    @Option(names = "--model", required = true, paramLabel = "M.onnx", description = "The scanned ONNX classifier.")
    Path model;

    @Option(names = "--scan", required = true, paramLabel = "DIR", description = "The --out folder of a complete "
            + "scan of this model.")
    Path scan;

    @Mixin
    DataOptions data;

    @Option(names = "--test-data", paramLabel = "SPEC", description = "Held-out images to measure on (default: the "
            + "built-in test split of --data, else --data).")
    String testData;

    /** The real trigger, when known: its attack success is reported too and must also fall under the target. */
    @Mixin
    RealTriggerOptions real;

    @Option(names = "--max-accuracy-drop", paramLabel = "D",
            description = "Clean accuracy the patch may cost, a share (default: 0.02 = 2 points for prune, 0.01 for "
                    + "unlearn).")
    Double maxAccuracyDrop;

    @Option(names = "--target-success", paramLabel = "S",
            description = "Attack success under which the backdoor counts as removed (default: 0.01 for prune, "
                    + "0.02 for unlearn).")
    Double targetSuccess;

    @Option(names = "--layer", defaultValue = PruneLayer.AUTO, paramLabel = "auto|spatial|penultimate|conv",
            description = "prune: the last conv's output at each position as the first dense layer reads it, the "
                    + "penultimate layer's neurons (the paper's) or the last conv's channels; auto tries them in that "
                    + "order until one removes the backdoor within the budget, else keeps the best (default: "
                    + "${DEFAULT-VALUE}).")
    String layer;

    @Option(names = "--step", defaultValue = "0", paramLabel = "N",
            description = "prune: units zeroed per step (default: 0.5%% of the layer, at least 1; spatial units one by one "
                    + "for the first 2%% of the layer).")
    int step;

    @Option(names = "--samples", defaultValue = "1000", paramLabel = "N",
            description = "Clean images of --data that rank the units (prune) or search more reversed triggers "
                    + "(unlearn) (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--test-samples", defaultValue = "2000", paramLabel = "N",
            description = "Held-out images measured at every step (default: ${DEFAULT-VALUE}).")
    int testSamples;

    @Option(names = "--train-data", paramLabel = "SPEC", description = "unlearn: training images (default: --data).")
    String trainData;

    @Option(names = "--fraction", defaultValue = "" + UnlearnSettings.DEFAULT_FRACTION, paramLabel = "F",
            description = "unlearn: share of the training images used (default: ${DEFAULT-VALUE}; the paper: 0.1).")
    double fraction;

    @Option(names = "--stamped-share", defaultValue = "" + UnlearnSettings.DEFAULT_STAMPED_SHARE, paramLabel = "S",
            description = "unlearn: share of each batch stamped with a reversed trigger (default: ${DEFAULT-VALUE}).")
    double stampedShare;

    @Option(names = "--epochs", defaultValue = "" + UnlearnSettings.DEFAULT_EPOCHS, paramLabel = "N",
            description = "unlearn: epochs (default: ${DEFAULT-VALUE}; the paper: 1).")
    int epochs;

    @Option(names = "--batch", defaultValue = "" + UnlearnSettings.DEFAULT_BATCH, paramLabel = "N",
            description = "unlearn: batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "" + UnlearnSettings.DEFAULT_LEARNING_RATE, paramLabel = "X",
            description = "unlearn: Adam's learning rate (default: ${DEFAULT-VALUE}); a run over the accuracy budget "
                    + "is redone at a third of it, twice at most.")
    double lr;

    @Option(names = "--reversals", defaultValue = "" + UnlearnSettings.DEFAULT_REVERSALS, paramLabel = "N",
            description = "unlearn: reversed triggers per flagged label to stamp with: the scan's and N-1 more "
                    + "searched with other seeds (default: ${DEFAULT-VALUE}).")
    int reversals;

    @Option(names = "--twin-weight", defaultValue = "" + UnlearnSettings.DEFAULT_TWIN_WEIGHT, paramLabel = "W",
            description = "unlearn: stamped images join their batch as copies beside their originals, and the loss "
                    + "also pulls each copy's penultimate activations to its original's with this weight; 0 stamps "
                    + "in place with cross-entropy only, as the paper (default: ${DEFAULT-VALUE}).")
    double twinWeight;

    @Option(names = "--freeze-convolutions", negatable = true, defaultValue = ""
            + UnlearnSettings.DEFAULT_FROZEN_CONVOLUTIONS, fallbackValue = "true",
            description = "unlearn: leave the convolutions' filters and biases as they are and fine-tune the layers "
                    + "around and after them; --no-freeze-convolutions tunes every weight, as the paper (default: "
                    + "${DEFAULT-VALUE}).")
    boolean frozenConvolutions;

    @Option(names = "--seed", defaultValue = "" + UnlearnSettings.DEFAULT_SEED, paramLabel = "N",
            description = "Seed of image choices and fine-tuning (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "PATCHED.onnx", description = "The patched model; its "
            + "card (and for pruning the curve, JSON and HTML) go beside it.")
    Path out;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        TriggerSpec realSpec = real.spec();
        PatchMethod how = PatchMethod.byId(method);
        double success = targetSuccess != null ? targetSuccess : how.targetSuccess();
        double budget = maxAccuracyDrop != null ? maxAccuracyDrop : how.maxAccuracyDrop();
        PatchRequest request;
        try {
            request = new PatchRequest(model, scan, out, how, data.spec, testData, trainData,
                    new Preprocessing(data.scale, data.mean, data.std), samples, testSamples,
                    realSpec, real.target, budget, success,
                    PruneLayer.choice(layer), step,
                    unlearnSettings(), seed, threads.configure());
        } catch (IllegalArgumentException e) {
            throw new NcguardException("bad option: " + e.getMessage());
        }
        PatchOutcome outcome = PatchRun.run(request);
        List<Path> written = PatchOutputs.write(outcome, out);
        PatchCard card = outcome.card();
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(summary(card)));
        } else {
            print(card, written);
        }
        if (!card.goalMet()) {
            throw new NcguardException("backdoor not removed: " + card.why() + "; wrote " + out);
        }
        return 0;
    }

    UnlearnSettings unlearnSettings() {
        return new UnlearnSettings(fraction, stampedShare, epochs, batch, lr, reversals, twinWeight,
                frozenConvolutions, seed);
    }

    static Map<String, Object> summary(PatchCard card) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("accuracyBefore", card.before().accuracy());
        r.put("accuracyAfter", card.after().accuracy());
        r.put("attackSuccessBefore", card.before().attackSuccess());
        r.put("attackSuccessAfter", card.after().attackSuccess());
        r.put("realAttackSuccessBefore", card.before().realAttackSuccess());
        r.put("realAttackSuccessAfter", card.after().realAttackSuccess());
        r.put("realUnstampedBefore", card.before().realUnstamped());
        r.put("realUnstampedAfter", card.after().realUnstamped());
        Measurement control = card.control();
        r.put("controlAccuracy", control == null ? null : control.accuracy());
        r.put("controlAttackSuccess", control == null ? null : control.attackSuccess());
        r.put("controlRealAttackSuccess", control == null ? null : control.realAttackSuccess());
        r.put("method", card.method());
        r.put("flaggedLabels", card.flaggedLabels());
        r.put("goalMet", card.goalMet());
        r.put("why", card.why());
        r.putAll(card.details());
        r.put("model", card.model());
        r.put("sha256", card.sha256());
        r.put("original", card.original());
        r.put("originalSha256", card.originalSha256());
        r.put("parityOk", card.parity().ok());
        r.put("seconds", card.seconds());
        return r;
    }

    private static void print(PatchCard card, List<Path> written) {
        row("model", card.model() + " (sha256 " + card.sha256() + ")");
        row("from", card.original() + " (sha256 " + card.originalSha256() + "), flagged " + card.flaggedLabels());
        if (card.method().equals("prune")) {
            row("pruned", card.details().get("pruned") + " of " + card.details().get("units") + " "
                    + card.details().get("layer") + " units");
        } else {
            row("unlearned", card.details().get("trainImages") + " images of " + card.details().get("trainData"));
        }
        row("accuracy", String.format("%.2f%% -> %.2f%% on %s images", 100 * card.before().accuracy(),
                100 * card.after().accuracy(), card.details().get("testImages")));
        row("attack (rev.)", String.format("%.2f%% -> %.2f%%", 100 * card.before().attackSuccess(),
                100 * card.after().attackSuccess()));
        if (card.before().realAttackSuccess() != null) {
            row("attack (real)", String.format("%.2f%% -> %.2f%% (unstamped images in the target: %.2f%% -> %.2f%%)",
                    100 * card.before().realAttackSuccess(), 100 * card.after().realAttackSuccess(),
                    100 * card.before().realUnstamped(), 100 * card.after().realUnstamped()));
        }
        if (card.control() != null) {
            Measurement c = card.control();
            row("control", String.format("clean-only fine-tuning: accuracy %.2f%%, attack %.2f%%%s", 100 * c.accuracy(),
                    100 * c.attackSuccess(), c.realAttackSuccess() == null ? ""
                            : String.format(", real trigger %.2f%%", 100 * c.realAttackSuccess())));
        }
        row("parity", String.format("ok: max |SameDiff - ONNX Runtime| = %.2e", card.parity().maxAbsDiff()));
        row("outcome", card.why());
        row("files", written.toString());
    }

    private static void row(String key, String value) {
        System.out.printf("%-15s %s%n", key, value);
    }
}
