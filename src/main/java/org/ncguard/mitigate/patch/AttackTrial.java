package org.ncguard.mitigate.patch;

import org.ncguard.data.Trigger;

/**
 * A trigger whose attack success is measured: a flagged label's reversed trigger, or the real one when it is known.
 *
 * @param name    how reports name it, e.g. {@code reversed-7} or {@code real}
 * @param trigger canonical CHW in the model's channels
 * @param target  the label it sends images to
 */
public record AttackTrial(String name, Trigger trigger, int target) {

    public AttackTrial {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a trial needs a name, found " + name);
        }
        if (trigger == null) {
            throw new IllegalArgumentException("trial " + name + " needs a trigger");
        }
        if (target < 0) {
            throw new IllegalArgumentException("target label must be >= 0, found " + target);
        }
    }
}
