package org.ncguard.cli;

import org.ncguard.NcguardException;
import org.ncguard.data.TriggerSpec;
import picocli.CommandLine.Option;

/**
 * {@code --trigger SPEC --target LABEL}: a known trigger and the label it sends images to, given together or not at
 * all, the same way in every command that measures attacks with it.
 */
final class RealTriggerOptions {

    @Option(names = "--trigger", paramLabel = "SPEC",
            description = "square:SIZE[:COLOR][:CORNER], checker:SIZE[:CORNER], watermark:ALPHA[:SEED] or "
                    + "image:FILE.png; with --target.")
    String trigger;

    @Option(names = "--target", paramLabel = "LABEL", description = "The label the trigger sends images to.")
    Integer target;

    /** The parsed trigger, or null when none was given; fails when only one of the two options was. */
    TriggerSpec spec() throws NcguardException {
        if ((trigger == null) != (target == null)) {
            throw new NcguardException(trigger == null ? "--target needs --trigger" : "--trigger needs --target");
        }
        return trigger == null ? null : TriggerSpec.parse(trigger);
    }

    /** The target, or -1 without a trigger. */
    int targetOrNone() {
        return target == null ? -1 : target;
    }

    /** Fails with a one-line message unless the target is one of the model's {@code labels}. */
    void requireTargetBelow(int labels, String model) throws NcguardException {
        if (target != null && (target < 0 || target >= labels)) {
            throw new NcguardException("--target " + target + " is out of range: " + model + " has labels 0.."
                    + (labels - 1));
        }
    }
}
