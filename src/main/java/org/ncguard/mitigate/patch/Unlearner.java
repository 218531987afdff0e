package org.ncguard.mitigate.patch;

import java.util.Arrays;
import java.util.List;
import org.ncguard.NcguardException;
import org.ncguard.data.Batch;
import org.ncguard.data.ImageSource;
import org.ncguard.data.Preprocessor;
import org.ncguard.data.Trigger;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.OrtScorer;
import org.ncguard.engine.ScorerOptions;
import org.ncguard.lab.TrainedModel;
import org.ncguard.lab.Trainer;
import org.ncguard.lab.TrainingOptions;
import org.ncguard.mitigate.ModelImages;
import org.ncguard.mitigate.NeuronGaps;
import org.ncguard.mitigate.Penultimates;
import org.ncguard.onnx.Onnx.ModelProto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The paper's unlearning: fine-tune the model on a fraction of clean training data in which a share of each batch is
 * stamped with the reversed triggers and keeps its true label, so the model learns that the trigger means nothing.
 * The same run without stamping is the paper's control. Cross-entropy alone is satisfied once a stamped image's logits
 * flip back, which a reversed trigger reaches by a narrower path than the attacker's; ncguard also pulls a stamped
 * copy's penultimate activations to its original's (the twin term), which carries over to the real trigger better,
 * and by default leaves the convolutions as they are, so the model cannot unlearn the reversed trigger's own pixels
 * in its first layers and must unlearn what the triggers share further on. The trained weights are written back
 * into the original graph's initializers: names, nodes and opset stay as they were.
 */
public final class Unlearner {

    private static final Logger log = LoggerFactory.getLogger(Unlearner.class);

    private final UnlearnSettings settings;

    public Unlearner(UnlearnSettings settings) {
        this.settings = settings;
    }

    public UnlearnSettings settings() {
        return settings;
    }

    /** The images a run trains on: {@code fraction} of {@code train}, chosen by the seed, in the model's channels. */
    public Batch trainingImages(OnnxModel model, ImageSource train) throws NcguardException {
        int n = Math.max(settings.batch(), (int) Math.round(settings.fraction() * train.count()));
        if (n > train.count()) {
            throw new NcguardException(train.name() + " holds " + train.count() + " images, fewer than one batch of "
                    + settings.batch() + "; give more training data");
        }
        int[] picked = Arrays.copyOf(ModelImages.shuffled(train.count(), settings.seed()), n);
        return ModelImages.load(train, model.input().shape(), picked);
    }

    /**
     * Fine-tunes {@code model} on {@code images}; {@code triggers} empty gives the clean-only control. With a twin
     * weight the stamped images are copies beside their originals and the loss holds the two together in the
     * penultimate layer ({@link org.ncguard.lab.TwinnedBatches}).
     *
     * @param pre       the model's preprocessing
     * @param unitScale the twin term's scale, {@link #unitScale} of the same model and images; null without the term
     */
    public ModelProto run(OnnxModel model, Batch images, String dataName, Preprocessor pre, List<Trigger> triggers,
            float[] unitScale) throws NcguardException {
        if (settings.twinWeight() > 0 && unitScale == null) {
            throw new IllegalArgumentException("the twin term needs its unit scale");
        }
        StampedShareSource.Twinning twinning = settings.twinWeight() > 0 && !triggers.isEmpty()
                ? new StampedShareSource.Twinning(settings.twinWeight(), unitScale) : null;
        StampedShareSource data = new StampedShareSource(dataName, images, model.labels(), triggers,
                settings.stampedShare(), settings.seed() ^ 0x5DEECE66DL, twinning);
        TrainingOptions options = new TrainingOptions(settings.epochs(), settings.batch(), settings.learningRate(),
                settings.seed(), settings.frozenConvolutions());
        TrainedModel trained = new Trainer(options).train(model, data, pre, null);
        log.info("fine-tuned {} epoch(s) on {} images, {} stamped with a reversed trigger{}; final loss {}",
                settings.epochs(), images.count(), data.stamped(), options.frozenConvolutions()
                        ? ", convolutions frozen" : "", String.format("%.4f", trained.finalLoss()));
        return trained.proto();
    }

    /**
     * Per penultimate unit, the scale of the twin term: the unit's standard deviation over the clean training images
     * under the original model, floored by the layer's mean one so that a unit nearly silent on clean images does not
     * make the term explode where a trigger wakes it.
     */
    public static float[] unitScale(OnnxModel model, Batch images, Preprocessor pre, ScorerOptions threads)
            throws NcguardException {
        Penultimates clean;
        try (OrtScorer scorer = new OrtScorer(model, threads)) {
            clean = Penultimates.of(scorer, pre, images, null);
        }
        float[] std = NeuronGaps.measure(clean, clean).cleanStd();
        int units = std.length;
        double meanStd = 0;
        for (float s : std) {
            meanStd += s / (double) units;
        }
        float[] scale = new float[units];
        for (int u = 0; u < units; u++) {
            scale[u] = (float) Math.max(Math.max(std[u], meanStd), 1e-6);
        }
        return scale;
    }
}
