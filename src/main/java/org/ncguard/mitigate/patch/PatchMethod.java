package org.ncguard.mitigate.patch;

import java.util.Locale;
import org.ncguard.NcguardException;

/** How a model is patched. */
public enum PatchMethod {

    /** Zero the units the reversed triggers excite most ({@link Pruner}). */
    PRUNE,

    /** Fine-tune on clean data with reversed-trigger stamps that keep their labels ({@link Unlearner}). */
    UNLEARN;

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
