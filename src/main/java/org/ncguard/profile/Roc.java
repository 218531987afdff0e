package org.ncguard.profile;

/**
 * A label's filter measured on held-out clean inputs against stamped ones.
 *
 * @param reversed with the label's reversed trigger
 * @param real     with the real trigger, when the user knew it (lab models); null otherwise
 */
public record Roc(RocCurve reversed, RocCurve real) {

    public Roc {
        if (reversed == null) {
            throw new IllegalArgumentException("the reversed trigger's ROC is required");
        }
    }
}
