package org.ncguard.reverse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ncguard.AtomicFiles;
import org.ncguard.NcguardException;
import org.ncguard.data.Batch;
import org.ncguard.data.DataSources;
import org.ncguard.data.ImageSource;
import org.ncguard.data.Preprocessor;
import org.ncguard.data.Trigger;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.NativeThreads;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.OrtScorer;
import org.ncguard.engine.ScorerOptions;
import org.ncguard.engine.Scores;
import org.ncguard.lab.Architecture;
import org.ncguard.lab.Attack;
import org.ncguard.lab.Trainer;
import org.ncguard.lab.TrainingOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks whether a reversed trigger works on a model that nobody poisoned: a natural feature does, a planted trigger
 * does not.
 *
 * <p>A trigger that draws a feature of its label (the gap between a trouser's legs) sends images to the label on any
 * model that learnt the label; a planted trigger drives a path that only the poisoned training built. So the check
 * trains a small <em>reference</em> model of its own on the scan's clean images (the 2-conv network of the paper's
 * MNIST task, whatever the scanned model's architecture), stamps the trigger on the clean samples of the other
 * labels, and measures the share the reference sends to the label: the trigger's <em>transfer</em>. On the lab's
 * Fashion-MNIST models, planted triggers transferred 0-3% and natural features (trousers) 13-46%.
 */
final class TransferCheck implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TransferCheck.class);

    /** Transfer under which a natural-looking trigger is still taken for a planted one ({@link FlagRule#NCGUARD}). */
    static final double MIN_TRANSFER = 0.08;

    /** Clean images the reference model trains on, at most: enough for a fair model in seconds. */
    static final int REFERENCE_IMAGES = 2000;

    private static final TrainingOptions TRAINING = new TrainingOptions(3, 32, 2e-3, 1);
    private static final int BATCH = 256;

    private final OrtScorer reference;
    private final Preprocessor preprocessor;
    private final Batch clean;

    private TransferCheck(OrtScorer reference, Preprocessor preprocessor, Batch clean) {
        this.reference = reference;
        this.preprocessor = preprocessor;
        this.clean = clean;
    }

    /**
     * The check with the reference model stored in {@code file}, trained there first from {@code training} (canonical
     * images in the scanned model's channels) when the file does not exist yet.
     *
     * @param clean the scan's clean samples, on which triggers are stamped
     */
    static TransferCheck open(Path file, Batch training, int labelCount, Batch clean) throws NcguardException {
        OnnxModel model = Files.isRegularFile(file) ? OnnxModel.load(file) : train(file, training, labelCount);
        ImageShape shape = Attack.inputFor(clean.shape());
        return new TransferCheck(new OrtScorer(model, new ScorerOptions(NativeThreads.count())),
                new Preprocessor(shape), clean);
    }

    private static OnnxModel train(Path file, Batch training, int labelCount) throws NcguardException {
        long start = System.nanoTime();
        log.info("training a reference model on {} clean images for the transfer check", training.count());
        ImageSource data = DataSources.fromBatch("reference images", training, labelCount);
        OnnxModel untrained = OnnxModel.fromBytes("reference", Architecture.MNIST
                .build(data.shape(), labelCount, TRAINING.seed()).toByteArray());
        var trained = new Trainer(TRAINING).train(untrained, data, new Preprocessor(Attack.inputFor(data.shape())), null);
        byte[] bytes = trained.proto().toByteArray();
        try {
            AtomicFiles.write(file, bytes);
        } catch (IOException e) {
            throw new NcguardException("cannot write the reference model " + file + ": " + e.getMessage(), e);
        }
        log.info("reference model trained in {}s (training accuracy {}%)", Math.round((System.nanoTime() - start) / 1e9),
                Math.round(100 * trained.finalAccuracy()));
        return OnnxModel.fromBytes(file.toString(), bytes);
    }

    /** The share of stamped clean images of other labels that the reference model sends to the trigger's label. */
    double transfer(ReversedTrigger trigger) throws NcguardException {
        int target = trigger.label();
        int size = clean.shape().size();
        Trigger stamp = trigger.toTrigger();
        int others = 0;
        int hits = 0;
        float[] stamped = new float[BATCH * size];
        int k = 0;
        for (int i = 0; i <= clean.count(); i++) {
            if (k == BATCH || (i == clean.count() && k > 0)) {
                float[] images = k == BATCH ? stamped : java.util.Arrays.copyOf(stamped, k * size);
                for (Scores s : reference.score(preprocessor.apply(images, k, clean.shape()), k)) {
                    hits += s.predicted() == target ? 1 : 0;
                }
                others += k;
                k = 0;
            }
            if (i < clean.count() && clean.labels()[i] != target) {
                System.arraycopy(clean.pixels(), i * size, stamped, k * size, size);
                stamp.stampInPlace(stamped, k * size);
                k++;
            }
        }
        return others == 0 ? 0 : hits / (double) others;
    }

    @Override
    public void close() {
        reference.close();
    }
}
