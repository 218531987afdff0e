package org.ncguard.engine;

/** What the scorer returns for one image: the model's output (logits or probabilities) and its penultimate layer. */
public record Scores(float[] output, float[] penultimate) {

    /** Index of the highest output: the predicted label. */
    public int predicted() {
        int best = 0;
        for (int i = 1; i < output.length; i++) {
            if (output[i] > output[best]) {
                best = i;
            }
        }
        return best;
    }
}
