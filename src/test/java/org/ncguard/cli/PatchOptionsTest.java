package org.ncguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import org.ncguard.mitigate.patch.UnlearnSettings;
import picocli.CommandLine;

/** {@code ncguard patch}'s unlearning options: their defaults are {@link UnlearnSettings#defaults()}. */
class PatchOptionsTest {

    private static PatchCommand parsed(String... extra) {
        PatchCommand command = new PatchCommand();
        String[] required = {"--method", "unlearn", "--model", "m.onnx", "--scan", "scan", "--data", "d",
            "--out", "p.onnx"};
        String[] args = new String[required.length + extra.length];
        System.arraycopy(required, 0, args, 0, required.length);
        System.arraycopy(extra, 0, args, required.length, extra.length);
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void unlearningDefaultsAreTheLibrarys() {
        assertEquals(UnlearnSettings.defaults(), parsed().unlearnSettings());
    }

    @Test
    void unlearningOptionsReachTheSettings() {
        UnlearnSettings set = parsed("--fraction", "0.5", "--stamped-share", "0.3", "--epochs", "2", "--batch", "16",
                "--lr", "0.01", "--reversals", "2", "--twin-weight", "0", "--no-freeze-convolutions", "--seed", "9")
                .unlearnSettings();
        assertEquals(new UnlearnSettings(0.5, 0.3, 2, 16, 0.01, 2, 0, false, 9), set);
        assertNotEquals(UnlearnSettings.defaults(), set);
    }
}
