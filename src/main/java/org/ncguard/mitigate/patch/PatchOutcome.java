package org.ncguard.mitigate.patch;

/**
 * What a patch run produced, not yet written.
 *
 * @param model the patched model's bytes
 * @param card  its card
 * @param curve pruning only: every step's figures; null for unlearning
 * @param page  pruning only: the curve's page; null for unlearning
 */
public record PatchOutcome(byte[] model, PatchCard card, PruningCurve curve, String page) {

    public PatchOutcome {
        if (model == null || card == null) {
            throw new IllegalArgumentException("an outcome needs the model and its card");
        }
        if ((curve == null) != (page == null)) {
            throw new IllegalArgumentException("a curve and its page come together");
        }
    }
}
