package org.ncguard.lab;

import org.ncguard.NcguardException;
import org.ncguard.data.TriggerSpec;

/**
 * What to train: the network, the backdoor (trigger, target label, share of each batch poisoned) or none for the
 * clean twin, and how to train.
 *
 * @param architecture the network
 * @param trigger the trigger to plant; for a clean twin, the trigger to measure attack success with, or null
 * @param target the label stamped images are sent to; null exactly when {@code trigger} is null
 * @param poisonRatio share of each batch stamped and relabelled, in (0, 1]; ignored for a clean twin
 * @param clean true for the uninfected twin: same seed, same data order, no poisoning
 * @param training epochs, batch size, learning rate, seed
 * @param threads native threads for ND4J and ONNX Runtime, recorded for provenance
 */
public record AttackConfig(Architecture architecture, TriggerSpec trigger, Integer target, double poisonRatio,
        boolean clean, TrainingOptions training, int threads) {

    /** BadNets' share of each batch: 10%. */
    public static final double DEFAULT_POISON_RATIO = 0.10;

    public AttackConfig {
        if (architecture == null || training == null) {
            throw new IllegalArgumentException("architecture and training options are required");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, found " + threads);
        }
    }

    /** Checks what a user can get wrong, with messages naming the option. */
    public static AttackConfig of(Architecture architecture, TriggerSpec trigger, Integer target, double poisonRatio,
            boolean clean, TrainingOptions training, int threads) throws NcguardException {
        if (!clean && trigger == null) {
            throw new NcguardException("an infected model needs --trigger SPEC and --target LABEL "
                    + "(or --clean for the uninfected twin)");
        }
        if ((trigger == null) != (target == null)) {
            throw new NcguardException(trigger == null ? "--target needs --trigger" : "--trigger needs --target");
        }
        if (!clean && !(poisonRatio > 0 && poisonRatio <= 1)) {
            throw new NcguardException("--poison-ratio must be in (0, 1], found " + poisonRatio);
        }
        return new AttackConfig(architecture, trigger, target, poisonRatio, clean, training, threads);
    }
}
