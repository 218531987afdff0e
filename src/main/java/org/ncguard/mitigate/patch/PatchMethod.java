package org.ncguard.mitigate.patch;

import java.util.Locale;
import org.ncguard.NcguardException;

/** How a model is patched. */
public enum PatchMethod {

    /** Zero the units the reversed triggers excite most ({@link Pruner}). */
    PRUNE(0.01, 0.02),

    /** Fine-tune on clean data with reversed-trigger stamps that keep their labels ({@link Unlearner}). */
    UNLEARN(0.02, 0.01);

    private final double targetSuccess;
    private final double maxAccuracyDrop;

    PatchMethod(double targetSuccess, double maxAccuracyDrop) {
        this.targetSuccess = targetSuccess;
        this.maxAccuracyDrop = maxAccuracyDrop;
    }

    /** Attack success under which the backdoor counts as removed, by default. */
    public double targetSuccess() {
        return targetSuccess;
    }

    /** Clean accuracy (a share) the patch may cost, by default. */
    public double maxAccuracyDrop() {
        return maxAccuracyDrop;
    }

    /** The name used on the command line and in cards. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The method with this {@link #id()}. */
    public static PatchMethod byId(String id) throws NcguardException {
        for (PatchMethod m : values()) {
            if (m.id().equalsIgnoreCase(id.trim())) {
                return m;
            }
        }
        throw new NcguardException("unknown --method '" + id + "'; expected prune or unlearn");
    }
}
