package org.ncguard.mitigate.patch;

import java.util.Map;

/**
 * Clean accuracy and attack success of one model on the held-out images.
 *
 * @param accuracy            share of clean images classified correctly
 * @param attackSuccess       the largest attack success over the flagged labels' reversed triggers
 * @param realAttackSuccess   attack success of the real trigger; null when it is not known
 * @param realUnstamped       the share of the same images, unstamped, that the model already classifies as the real
 *                            trigger's target: how low attack success can go once the trigger does nothing; null
 *                            when the real trigger is not known
 * @param perTrigger          attack success per trial name ({@code reversed-7}, {@code real})
 */
public record Measurement(double accuracy, double attackSuccess, Double realAttackSuccess, Double realUnstamped,
        Map<String, Double> perTrigger) {

    public Measurement {
        if (!(accuracy >= 0 && accuracy <= 1)) {
            throw new IllegalArgumentException("accuracy must be in [0, 1], found " + accuracy);
        }
        if (!(attackSuccess >= 0 && attackSuccess <= 1)) {
            throw new IllegalArgumentException("attack success must be in [0, 1], found " + attackSuccess);
        }
        perTrigger = Map.copyOf(perTrigger);
    }

    /** The attack success a stop rule looks at: the worst of the reversed and (when known) the real trigger. */
    public double worstAttackSuccess() {
        return realAttackSuccess == null ? attackSuccess : Math.max(attackSuccess, realAttackSuccess);
    }
}
