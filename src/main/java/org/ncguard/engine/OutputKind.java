package org.ncguard.engine;

/** What a classifier's output holds: raw scores, or probabilities from a final Softmax. */
public enum OutputKind {
    LOGITS,
    PROBABILITIES;

    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
