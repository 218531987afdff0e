package org.ncguard.mitigate;

import java.util.Arrays;
import java.util.List;
import org.ncguard.NcguardException;
import org.ncguard.data.Batch;
import org.ncguard.data.Preprocessor;
import org.ncguard.data.Trigger;
import org.ncguard.engine.OrtScorer;
import org.ncguard.engine.Scores;

/**
 * The penultimate activations and predictions of a batch of canonical images, optionally stamped with a trigger first.
 *
 * @param rows      one activation vector per image
 * @param predicted the model's label per image
 */
public record Penultimates(float[][] rows, int[] predicted) {

    /** Images per ONNX Runtime call. */
    private static final int BATCH = 256;

    /**
     * Scores {@code images} (canonical, in the model's channels) with {@code scorer}, stamping each with {@code
     * trigger} first when it is not null.
     */
    public static Penultimates of(OrtScorer scorer, Preprocessor preprocessor, Batch images, Trigger trigger)
            throws NcguardException {
        return collect(preprocessor, images, trigger, (input, k, rows, predicted, from) -> {
            List<Scores> scores = scorer.score(input, k);
            for (int i = 0; i < k; i++) {
                rows[from + i] = scores.get(i).penultimate();
                predicted[from + i] = scores.get(i).predicted();
            }
        });
    }

    /** Scores one chunk of {@code k} preprocessed images into {@code rows} and {@code predicted} from {@code from}. */
    @FunctionalInterface
    public interface ChunkScorer {
        void score(float[] input, int k, float[][] rows, int[] predicted, int from);
    }

    /**
     * Stamps (when {@code trigger} is not null), preprocesses and scores {@code images} in chunks of {@value #BATCH}:
     * the one loop behind every activation read of this package.
     */
    public static Penultimates collect(Preprocessor preprocessor, Batch images, Trigger trigger, ChunkScorer scorer)
            throws NcguardException {
        int size = images.shape().size();
        int n = images.count();
        float[][] rows = new float[n][];
        int[] predicted = new int[n];
        for (int from = 0; from < n; from += BATCH) {
            int k = Math.min(BATCH, n - from);
            float[] chunk = Arrays.copyOfRange(images.pixels(), from * size, (from + k) * size);
            if (trigger != null) {
                for (int i = 0; i < k; i++) {
                    trigger.stampInPlace(chunk, i * size);
                }
            }
            scorer.score(preprocessor.apply(chunk, k, images.shape()), k, rows, predicted, from);
        }
        return new Penultimates(rows, predicted);
    }

    /** The images the model assigned to {@code label}. */
    public Penultimates predictedAs(int label) {
        List<float[]> kept = new java.util.ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            if (predicted[i] == label) {
                kept.add(rows[i]);
            }
        }
        int[] labels = new int[kept.size()];
        Arrays.fill(labels, label);
        return new Penultimates(kept.toArray(new float[0][]), labels);
    }

    /** Number of images. */
    public int count() {
        return rows.length;
    }

    /** Number of penultimate features. */
    public int features() {
        return rows.length == 0 ? 0 : rows[0].length;
    }
}
