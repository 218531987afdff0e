package org.ncguard.mitigate.patch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ncguard.NcguardException;
import org.ncguard.data.Batch;
import org.ncguard.data.DataSources;
import org.ncguard.data.ImageSource;
import org.ncguard.data.Preprocessor;
import org.ncguard.data.Trigger;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.OrtScorer;
import org.ncguard.engine.ParityCheck;
import org.ncguard.engine.ParityResult;
import org.ncguard.engine.ScorerOptions;
import org.ncguard.engine.Versions;
import org.ncguard.engine.translate.GraphTranslator;
import org.ncguard.mitigate.ModelImages;
import org.ncguard.mitigate.ScanTriggers;
import org.ncguard.onnx.Onnx.ModelProto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code ncguard patch}: checks the inputs, measures the original, prunes or unlearns, checks that the result is
 * the same graph and passes parity, and returns the patched model with its card. Writes nothing; {@link PatchOutputs}
 * does.
 */
public final class PatchRun {

    /** Learning rates unlearning tries, each a third of the last, before it gives up on the accuracy budget. */
    static final int LEARNING_RATE_TRIES = 3;

    private static final Logger log = LoggerFactory.getLogger(PatchRun.class);

    /** Random inputs of the parity check. */
    private static final int PARITY_SAMPLES = 4;

    private PatchRun() {
    }

    /** Runs {@code request}. */
    public static PatchOutcome run(PatchRequest request) throws NcguardException {
        long start = System.nanoTime();
        requireDistinctOutput(request.model(), request.out());
        OnnxModel model = OnnxModel.load(request.model());
        ScanTriggers scan = ScanTriggers.load(request.scanDir(), model, null);
        if (scan.stamps().isEmpty()) {
            throw new NcguardException("the scan in " + request.scanDir() + " flagged no label (verdict "
                    + scan.source().verdict() + "): there is no backdoor to patch");
        }
        Preprocessor pre = request.preprocessing().forModel(model.input().shape());
        ScorerOptions threads = new ScorerOptions(request.threads());
        Trigger real = null;
        if (request.realTrigger() != null) {
            if (request.realTarget() < 0 || request.realTarget() >= model.labels()) {
                throw new NcguardException("--target " + request.realTarget() + " is out of range: "
                        + model.source() + " has labels 0.." + (model.labels() - 1));
            }
            real = request.realTrigger().build(ModelImages.canonical(model.input().shape()));
        }
        List<AttackTrial> trials = new ArrayList<>();
        scan.labels().forEach(l -> trials.add(new AttackTrial("reversed-" + l, scan.triggers().get(l), l)));
        if (real != null) {
            trials.add(new AttackTrial(PatchMeter.REAL, real, request.realTarget()));
        }

        String testSpec = request.testData() != null ? request.testData()
                : DataSources.testSplitOf(request.data()).orElse(request.data());
        PatchMeter meter;
        String testName;
        try (ImageSource test = DataSources.open(testSpec)) {
            requireFits(test, pre, model);
            testName = test.name();
            meter = new PatchMeter(pick(test, model, request.testSamples(), request.seed()), pre, trials, threads);
        }
        log.info("measuring on {} held-out images of {}", meter.samples(), testName);

        Map<String, Object> details = new LinkedHashMap<>();
        Measurement before;
        Measurement after;
        Measurement control = null;
        ModelProto patched;
        PruningCurve curve = null;
        int kept = 0;
        boolean goalMet;
        String why;
        if (request.method() == PatchMethod.PRUNE) {
            Batch images;
            try (ImageSource data = DataSources.open(request.data())) {
                requireFits(data, pre, model);
                images = pick(data, model, request.samples(), request.seed() + 1);
            }
            List<LayerRun> tried = pruneInTurn(request, model, pre, images, scan, meter, threads);
            LayerRun best = tried.stream().min(Comparator.comparingDouble(LayerRun::attackSuccess)).orElseThrow();
            PrunableLayer layer = best.layer();
            Pruner.Result result = best.result();
            curve = result.curve();
            kept = result.best();
            patched = result.model();
            before = result.original().measured();
            after = result.kept().measured();
            goalMet = result.goalMet();
            why = result.why() + (goalMet ? "" : "; kept the step with the lowest attack success within the budget");
            if (tried.size() > 1) {
                why += String.format("; the %s layer, the best of %s", layer.kind().id(),
                        tried.stream().map(t -> t.layer().kind().id()).toList());
            }
            details.put("layer", layer.kind().id());
            details.put("activation", layer.activation());
            details.put("units", layer.units());
            details.put("pruned", result.kept().pruned());
            details.put("prunedFraction", result.kept().fraction());
            details.put("prunedUnits", Arrays.stream(result.pruned()).boxed().toList());
            details.put("steps", curve.points().size() - 1);
            details.put("triedLayers", tried.stream().map(LayerRun::summary).toList());
        } else {
            before = meter.measure(model);
            Unlearner unlearner = new Unlearner(request.unlearn());
            String trainSpec = request.trainData() != null ? request.trainData() : request.data();
            Batch images;
            String trainName;
            try (ImageSource train = DataSources.open(trainSpec)) {
                requireFits(train, pre, model);
                trainName = train.name();
                images = unlearner.trainingImages(model, train);
            }
            List<Trigger> reversed = new ArrayList<>(scan.labels().stream().map(l -> scan.triggers().get(l)).toList());
            try (ImageSource data = DataSources.open(request.data())) {
                requireFits(data, pre, model);
                reversed.addAll(MoreReversals.find(model, pre, data, scan.labels(), request.unlearn().reversals() - 1,
                        request.samples(), scan.report().seed()));
            }
            log.info("unlearning: fine-tuning on {} images of {}, {}% of each batch stamped with the reversed "
                    + "trigger(s) of {}", images.count(), trainName, Math.round(100 * request.unlearn().stampedShare()),
                    scan.labels());
            // the twin term's scale depends on the model and the images only: measured once for every run below
            float[] unitScale = request.unlearn().twinWeight() > 0
                    ? Unlearner.unitScale(model, images, pre, threads) : null;
            List<Double> rates = new ArrayList<>();
            double drop;
            while (true) {
                rates.add(unlearner.settings().learningRate());
                patched = unlearner.run(model, images, trainName, pre, reversed, unitScale);
                after = meter.measure(OnnxModel.fromBytes(request.out().toString(), patched.toByteArray()));
                drop = before.accuracy() - after.accuracy();
                if (drop <= request.maxAccuracyDrop() || rates.size() == LEARNING_RATE_TRIES) {
                    break;
                }
                // a model trained elsewhere (another framework, another optimiser) can lose accuracy at a learning
                // rate that suits the lab's own models
                log.info("unlearning at learning rate {} cost {} points of clean accuracy, over the budget of {}; "
                        + "again at a third of it", unlearner.settings().learningRate(),
                        String.format("%.2f", 100 * drop), String.format("%.2f", 100 * request.maxAccuracyDrop()));
                unlearner = new Unlearner(unlearner.settings()
                        .withLearningRate(unlearner.settings().learningRate() / 3));
            }
            log.info("control: the same fine-tuning on clean images only");
            ModelProto clean = unlearner.run(model, images, trainName, pre, List.of(), unitScale);
            control = meter.measure(OnnxModel.fromBytes("control", clean.toByteArray()));
            if (real != null) {
                // The paper's upper bound: unlearning with the attacker's own trigger instead of the reversed one.
                log.info("control: the same fine-tuning stamped with the real trigger");
                ModelProto withReal = unlearner.run(model, images, trainName, pre, List.of(real), unitScale);
                details.put("realTriggerUnlearning",
                        meter.measure(OnnxModel.fromBytes("real-trigger control", withReal.toByteArray())));
            }
            if (drop > request.maxAccuracyDrop()) {
                throw new NcguardException(String.format("unlearning cost %.2f points of clean accuracy (%.2f%% -> "
                        + "%.2f%%, attack success %.2f%% -> %.2f%%) at learning rates %s, over the "
                        + "--max-accuracy-drop budget of %.2f; nothing written (try fewer --epochs or a smaller "
                        + "--fraction)", 100 * drop, 100 * before.accuracy(), 100 * after.accuracy(),
                        100 * before.worstAttackSuccess(), 100 * after.worstAttackSuccess(),
                        rates.stream().map(r -> String.format("%.3g", r)).toList(),
                        100 * request.maxAccuracyDrop()));
            }
            goalMet = after.worstAttackSuccess() < request.targetSuccess();
            why = goalMet ? String.format("attack success fell under %.2f%%", 100 * request.targetSuccess())
                    : String.format("attack success is still %.2f%% after unlearning, not under %.2f%% (try more "
                            + "--epochs or --reversals)", 100 * after.worstAttackSuccess(),
                            100 * request.targetSuccess());
            details.put("learningRates", rates);
            details.put("trainImages", images.count());
            details.put("stampTriggers", reversed.size());
            details.put("trainData", trainName);
        }

        byte[] bytes = patched.toByteArray();
        OnnxModel result = OnnxModel.fromBytes(request.out().toString(), bytes);
        List<String> changed = GraphIdentity.differences(model.proto(), patched);
        if (!changed.isEmpty()) {
            throw new IllegalStateException("the patched model differs from the original in more than weights: "
                    + changed);
        }
        ParityResult parity;
        try (OrtScorer scorer = new OrtScorer(result, threads)) {
            parity = ParityCheck.run(GraphTranslator.translate(result), scorer, PARITY_SAMPLES, request.seed());
        }
        if (!parity.ok()) {
            throw new IllegalStateException("the patched model fails parity: max |SameDiff - ONNX Runtime| = "
                    + parity.maxAbsDiff());
        }
        details.put("testData", testName);
        details.put("testImages", meter.samples());
        PatchCard card = new PatchCard(request.out().getFileName().toString(), result.sha256(),
                request.model().getFileName().toString(), model.sha256(), request.method().id(), scan.labels(),
                request.realTrigger() == null ? null : request.realTrigger().spec(), request.realTarget(), before,
                after, control, goalMet, why, details, settings(request), parity, (System.nanoTime() - start) / 1e9,
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), Versions.all());
        return curve == null ? new PatchOutcome(bytes, card, null, null)
                : new PatchOutcome(bytes, card, curve, PruningPage.html(curve, kept, card));
    }

    /**
     * One layer's pruning run.
     *
     * @param layer  the layer pruned
     * @param result its outcome
     */
    private record LayerRun(PrunableLayer layer, Pruner.Result result) {

        /** The kept step's worst attack success: the lower, the better the layer. */
        double attackSuccess() {
            return result.kept().measured().worstAttackSuccess();
        }

        Map<String, Object> summary() {
            Measurement m = result.kept().measured();
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("layer", layer.kind().id());
            s.put("units", layer.units());
            s.put("pruned", result.kept().pruned());
            s.put("accuracy", m.accuracy());
            s.put("attackSuccess", m.attackSuccess());
            s.put("realAttackSuccess", m.realAttackSuccess());
            s.put("goalMet", result.goalMet());
            return s;
        }
    }

    /**
     * Prunes the request's layers in turn until one meets the goal. A layer the model does not have (no Conv node, say)
     * is skipped when there are others to try.
     */
    private static List<LayerRun> pruneInTurn(PatchRequest request, OnnxModel model, Preprocessor pre, Batch images,
            ScanTriggers scan, PatchMeter meter, ScorerOptions threads) throws NcguardException {
        List<LayerRun> tried = new ArrayList<>();
        NcguardException skipped = null;
        Measurement before = meter.measure(model);
        for (PruneLayer kind : request.layers()) {
            PrunableLayer layer;
            UnitRanking ranking;
            try {
                layer = PrunableLayer.of(model, kind);
                ranking = UnitRanking.measure(model, layer, pre, images, scan.triggers(), threads);
            } catch (NcguardException e) {
                if (request.layers().size() == 1) {
                    throw e;
                }
                log.info("cannot prune the {} layer: {}", kind.id(), e.getMessage());
                skipped = e;
                continue;
            }
            log.info("pruning the {} layer ({} units)", kind.id(), layer.units());
            Pruner.Result result = new Pruner(request.pruneSettings(kind)).run(model, before, layer, ranking, meter);
            tried.add(new LayerRun(layer, result));
            if (result.goalMet()) {
                break;
            }
            log.info("the {} layer left attack success at {}%: {}", kind.id(),
                    String.format("%.2f", 100 * tried.get(tried.size() - 1).attackSuccess()), result.why());
        }
        if (tried.isEmpty()) {
            throw skipped;
        }
        return tried;
    }

    /** The output must not be the input model: the original is never touched. */
    static void requireDistinctOutput(Path model, Path out) throws NcguardException {
        boolean same = model.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize());
        try {
            same = same || (Files.exists(out) && Files.exists(model) && Files.isSameFile(model, out));
        } catch (IOException e) {
            // cannot tell: the path comparison above stands
        }
        if (same) {
            throw new NcguardException("--out " + out + " is the input model; the original is never overwritten, "
                    + "give another path");
        }
    }

    private static void requireFits(ImageSource data, Preprocessor pre, OnnxModel model) throws NcguardException {
        pre.requireCompatible(data.shape());
        if (data.labelCount() > model.labels()) {
            throw new NcguardException(data.name() + " has " + data.labelCount() + " labels but " + model.source()
                    + " has " + model.labels() + " outputs; use data of the model's task");
        }
    }

    /** Up to {@code n} images of {@code data} in a seeded random order, in the model's channels. */
    private static Batch pick(ImageSource data, OnnxModel model, int n, long seed) throws NcguardException {
        if (data.count() == 0) {
            throw new NcguardException(data.name() + " holds no images");
        }
        int[] order = Arrays.copyOf(ModelImages.shuffled(data.count(), seed), Math.min(n, data.count()));
        return ModelImages.load(data, model.input().shape(), order);
    }

    private static Map<String, Object> settings(PatchRequest r) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("method", r.method().id());
        Path scanName = r.scanDir().getFileName();
        s.put("scan", scanName == null ? r.scanDir().toString() : scanName.toString());
        s.put("data", r.data());
        s.put("testData", r.testData());
        s.put("samples", r.samples());
        s.put("testSamples", r.testSamples());
        s.put("maxAccuracyDrop", r.maxAccuracyDrop());
        s.put("targetSuccess", r.targetSuccess());
        s.put("scale", r.preprocessing().scale());
        s.put("mean", r.preprocessing().mean());
        s.put("std", r.preprocessing().std());
        s.put("seed", r.seed());
        s.put("threads", r.threads());
        if (r.method() == PatchMethod.PRUNE) {
            s.put("layers", r.layers().stream().map(PruneLayer::id).toList());
            s.put("step", r.step() == 0 ? "default" : r.step());
        } else {
            s.put("trainData", r.trainData());
            s.put("fraction", r.unlearn().fraction());
            s.put("stampedShare", r.unlearn().stampedShare());
            s.put("epochs", r.unlearn().epochs());
            s.put("batch", r.unlearn().batch());
            s.put("lr", r.unlearn().learningRate());
            s.put("reversals", r.unlearn().reversals());
            s.put("twinWeight", r.unlearn().twinWeight());
            s.put("frozenConvolutions", r.unlearn().frozenConvolutions());
        }
        return s;
    }
}
