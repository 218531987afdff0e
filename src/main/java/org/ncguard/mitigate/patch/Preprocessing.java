package org.ncguard.mitigate.patch;

import org.ncguard.NcguardException;
import org.ncguard.data.Preprocessor;
import org.ncguard.engine.ImageShape;

/**
 * The model's preprocessing as the user gave it, before the model (and so its input shape) is known.
 *
 * @param scale 8-bit value to model range
 * @param mean  subtracted after scaling: null, one value, or one per channel
 * @param std   divided by after the mean: null, one value, or one per channel
 */
public record Preprocessing(float scale, float[] mean, float[] std) {

    public Preprocessing {
        if (!(scale > 0) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be positive and finite, found " + scale);
        }
    }

    /** Pixels / 255, no mean, no std. */
    public static Preprocessing defaults() {
        return new Preprocessing(Preprocessor.DEFAULT_SCALE, null, null);
    }

    /** The preprocessor for a model taking {@code input}. */
    public Preprocessor forModel(ImageShape input) throws NcguardException {
        try {
            return new Preprocessor(input, scale, mean, std);
        } catch (IllegalArgumentException e) {
            throw new NcguardException("bad preprocessing options for a model taking " + input + ": "
                    + e.getMessage());
        }
    }
}
