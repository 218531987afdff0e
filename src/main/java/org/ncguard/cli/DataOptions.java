package org.ncguard.cli;

import org.ncguard.NcguardException;
import org.ncguard.data.DataSources;
import org.ncguard.data.ImageSource;
import org.ncguard.data.Preprocessor;
import org.ncguard.engine.ImageShape;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * {@code --data SPEC} and the model's preprocessing ({@code --scale}, {@code --mean}, {@code --std}): every command
 * that reads images mixes these in, so all of them name data and preprocessing the same way.
 */
final class DataOptions {

    @Option(names = "--data", required = true, paramLabel = "SPEC",
            description = "Images: builtin:fashion-mnist[:train|:test], builtin:signs[:train|:test], "
                    + "builtin:glyph-codes[:train|:test]?labels=N (synthetic glyphs, N labels), an IDX images "
                    + "file (labels from its sibling ...-labels-idx1-ubyte), or a folder with one sub-folder of "
                    + "PNG/JPEG images per label; append ?n=COUNT to keep the first COUNT images "
                    + "(builtin:signs and builtin:glyph-codes also take &seed=SEED).")
    String spec;

    @Option(names = "--scale", defaultValue = "1/255", paramLabel = "S", converter = Fraction.class,
            description = "Factor from 8-bit pixel values to the model's range, a number or a fraction "
                    + "(default: ${DEFAULT-VALUE}).")
    float scale;

    @Option(names = "--mean", split = ",", paramLabel = "M",
            description = "Mean subtracted after scaling: one value or one per channel, comma-separated (default: 0).")
    float[] mean;

    @Option(names = "--std", split = ",", paramLabel = "S",
            description = "Standard deviation divided by after the mean: one value or one per channel (default: 1).")
    float[] std;

    /** Opens the data source {@code --data} names. */
    ImageSource open() throws NcguardException {
        return DataSources.open(spec);
    }

    /** The preprocessing for a model taking {@code input}, from {@code --scale}, {@code --mean}, {@code --std}. */
    Preprocessor preprocessor(ImageShape input) throws NcguardException {
        try {
            return new Preprocessor(input, scale, mean, std);
        } catch (IllegalArgumentException e) {
            throw new NcguardException("bad preprocessing options for a model taking " + input + ": "
                    + e.getMessage());
        }
    }

    /** Reads {@code 0.5}, {@code 1/255} or {@code 2e-3}. */
    static final class Fraction implements ITypeConverter<Float> {
        @Override
        public Float convert(String value) {
            String v = value.trim();
            int slash = v.indexOf('/');
            float f = slash < 0 ? Float.parseFloat(v)
                    : Float.parseFloat(v.substring(0, slash)) / Float.parseFloat(v.substring(slash + 1));
            if (!(f > 0) || Float.isInfinite(f)) {
                throw new IllegalArgumentException("expected a positive number or fraction such as 1/255, found '"
                        + value + "'");
            }
            return f;
        }
    }
}
