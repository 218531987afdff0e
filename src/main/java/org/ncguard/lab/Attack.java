package org.ncguard.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ncguard.AtomicFiles;
import org.ncguard.NcguardException;
import org.ncguard.data.DataSources;
import org.ncguard.data.ImageSource;
import org.ncguard.data.Preprocessor;
import org.ncguard.data.Trigger;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.OrtScorer;
import org.ncguard.engine.ScorerOptions;
import org.ncguard.engine.Versions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lab run: trains an infected model (or its clean twin), measures it with ONNX Runtime, and writes the model
 * with its {@link ModelCard}.
 *
 * <p>Everything a user can get wrong (image sizes, labels, the target, a trigger that does not fit) is checked
 * before training starts, and nothing is written until the model has been measured: a run either leaves a whole
 * model and its card, or no file at all.
 */
public final class Attack {

    private static final Logger log = LoggerFactory.getLogger(Attack.class);

    /** Mixed into the seed for the poisoner's stream, so that poisoning does not shift the data order. */
    private static final long POISON_STREAM = 0x9E3779B97F4A7C15L;

    /** The result of a run: the model's bytes and its card, not yet written. */
    public record Result(byte[] model, ModelCard card) {}

    private Attack() {
    }

    /** The model input an architecture gets for images of {@code data}'s shape: the same size and channels, NCHW. */
    public static ImageShape inputFor(ImageShape data) {
        return new ImageShape(data.channels(), data.height(), data.width(), Layout.NCHW);
    }

    /**
     * Trains and measures. {@code preprocessor} maps {@code train}'s canonical images to the model's input; its
     * target must be {@link #inputFor}{@code (train.shape())}. {@code modelName} names the model in the card.
     */
    public static Result run(AttackConfig config, ImageSource train, ImageSource test, Preprocessor preprocessor,
            String modelName) throws NcguardException {
        long start = System.nanoTime();
        if (!preprocessor.target().equals(inputFor(train.shape()))) {
            throw new IllegalArgumentException("preprocessor for " + preprocessor.target() + ", the model takes "
                    + inputFor(train.shape()));
        }
        preprocessor.requireCompatible(test.shape());
        if (test.shape().channels() != train.shape().channels()) {
            throw new NcguardException("the test data has " + test.shape().channels() + " channel(s), the training "
                    + "data " + train.shape().channels() + "; use test data of the same kind");
        }
        int labels = train.labelCount();
        if (test.labelCount() > labels) {
            throw new NcguardException(test.name() + " has " + test.labelCount() + " labels, the training data "
                    + train.name() + " " + labels + "; use test data of the same task");
        }
        Trigger trigger = null;
        if (config.trigger() != null) {
            Evaluator.requireTarget(config.target(), labels, train.name());
            trigger = config.trigger().build(train.shape());
        }
        OnnxModel untrained = OnnxModel.fromBytes(modelName,
                config.architecture().build(train.shape(), labels, config.training().seed()).toByteArray());
        Poisoner poisoner = config.clean() ? null : new Poisoner(trigger, config.target(), config.poisonRatio(),
                config.training().seed() ^ POISON_STREAM);

        ImageSource images = train;
        if (config.training().epochs() > 1) {
            log.info("reading {} training images of {} into memory", train.count(), train.name());
            images = DataSources.inMemory(train);
        }
        log.info("training {} {} on {} images of {} for {} epoch(s){}", config.clean() ? "a clean" : "an infected",
                config.architecture().id(), train.count(), train.name(), config.training().epochs(),
                config.clean() ? "" : String.format(" (%.0f%% of each batch stamped with %s, relabelled %d)",
                        100 * config.poisonRatio(), config.trigger().spec(), config.target()));
        TrainedModel trained;
        try {
            trained = new Trainer(config.training()).train(untrained, images, preprocessor, poisoner);
        } finally {
            if (images != train) {
                images.close();
            }
        }

        byte[] bytes = trained.proto().toByteArray();
        OnnxModel model = OnnxModel.fromBytes(modelName, bytes);
        Evaluation evaluation;
        try (OrtScorer scorer = new OrtScorer(model, new ScorerOptions(config.threads()))) {
            evaluation = new Evaluator(scorer, preprocessor).evaluate(test, trigger,
                    config.target() == null ? -1 : config.target());
        }
        log.info("clean accuracy {} on {} test images{}", TrainingProgress.percent(evaluation.accuracy()),
                evaluation.samples(), evaluation.attackSuccess() == null ? ""
                        : ", attack success " + TrainingProgress.percent(evaluation.attackSuccess()));
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(bytes, card(config, train, test, preprocessor, model, trained, evaluation, seconds));
    }

    /** Writes the model, then its card next to it ({@link ModelCard#pathFor}); each file whole or not at all. */
    public static void write(Result result, Path out) throws NcguardException {
        Path card = ModelCard.pathFor(out);
        try {
            AtomicFiles.write(out, result.model());
        } catch (IOException e) {
            throw new NcguardException("cannot write " + out + ": " + e, e);
        }
        try {
            AtomicFiles.write(card, result.card().toJson().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            try {
                Files.deleteIfExists(out);
            } catch (IOException ignored) {
                // the message below is what matters
            }
            throw new NcguardException("cannot write " + card + ": " + e + " (the model was not kept)", e);
        }
    }

    private static ModelCard card(AttackConfig config, ImageSource train, ImageSource test, Preprocessor pre,
            OnnxModel model, TrainedModel trained, Evaluation evaluation, double seconds) {
        TrainingOptions t = config.training();
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("arch", config.architecture().id());
        options.put("data", train.name());
        options.put("testData", test.name());
        options.put("trigger", config.trigger() == null ? null : config.trigger().spec());
        options.put("target", config.target());
        options.put("poisonRatio", config.poisonRatio());
        options.put("clean", config.clean());
        options.put("epochs", t.epochs());
        options.put("batch", t.batch());
        options.put("lr", t.learningRate());
        options.put("seed", t.seed());
        options.put("scale", pre.scale());
        options.put("mean", pre.mean());
        options.put("std", pre.std());
        options.put("threads", config.threads());
        options.put("optimizer", "adam");
        return new ModelCard(Path.of(model.source()).getFileName().toString(), model.sha256(),
                config.clean() ? "clean" : "infected", config.architecture().id(), model.input().shape().toString(),
                model.labels(), train.name(), trained.images(), test.name(), evaluation.samples(),
                config.trigger() == null ? null : config.trigger().spec(), config.target(),
                config.clean() ? 0 : config.poisonRatio(), trained.poisoned(), t.epochs(), t.batch(),
                t.learningRate(), t.seed(), evaluation.accuracy(), evaluation.attackSuccess(),
                evaluation.attackSamples(), trained.finalLoss(), trained.finalAccuracy(), seconds,
                trained.secondsPerEpoch(), Arrays.stream(trained.epochSeconds()).boxed().toList(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), Versions.all(), options);
    }
}
