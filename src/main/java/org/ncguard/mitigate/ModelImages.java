package org.ncguard.mitigate;

import java.util.SplittableRandom;
import org.ncguard.NcguardException;
import org.ncguard.data.Batch;
import org.ncguard.data.ImageSource;
import org.ncguard.data.Preprocessor;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;

/**
 * Images of a data set as the model sees them before scaling: canonical [0,1] CHW pixels in the model's channels (grey
 * data replicated for RGB models, RGB data turned to luminance for grey ones), where reversed triggers are stamped.
 */
public final class ModelImages {

    private ModelImages() {
    }

    /** Canonical CHW in the model's channels. */
    public static ImageShape canonical(ImageShape model) {
        return new ImageShape(model.channels(), model.height(), model.width(), Layout.NCHW);
    }

    /** The images at {@code indices}, in that order, in the model's channels. */
    public static Batch load(ImageSource data, ImageShape model, int[] indices) throws NcguardException {
        ImageShape canonical = canonical(model);
        Batch picked = data.batch(indices);
        float[] pixels = new Preprocessor(canonical).apply(picked.pixels(), picked.count(), data.shape());
        return new Batch(pixels, picked.labels(), canonical);
    }

    /** {@code 0 .. count-1} in a seeded random order: the same seed always gives the same order. */
    public static int[] shuffled(int count, long seed) {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = count - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
