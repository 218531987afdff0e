package org.ncguard.mitigate.patch;

import java.util.Locale;
import org.ncguard.NcguardException;

/** Where pruning zeroes units: the penultimate layer's neurons (the paper's default) or the last conv's channels. */
public enum PruneLayer {

    /** Neurons of the activation that feeds the last dense layer. */
    PENULTIMATE,

    /** Output channels of the last convolution, which the paper found worked better on some models. */
    CONV;

    /** The name used on the command line and in cards. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The layer with this {@link #id()}. */
    public static PruneLayer byId(String id) throws NcguardException {
        for (PruneLayer layer : values()) {
            if (layer.id().equalsIgnoreCase(id.trim())) {
                return layer;
            }
        }
        throw new NcguardException("unknown --layer '" + id + "'; expected penultimate or conv");
    }
}
