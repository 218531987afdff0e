package org.ncguard.engine;

import java.io.OutputStream;
import java.io.PrintStream;
import org.nd4j.autodiff.samediff.SameDiff;

/** Builds a SameDiff graph's backward pass up front, with SameDiff's println chatter kept off stdout. */
public final class Gradients {

    private Gradients() {}

    /**
     * Creates the gradient function of {@code sd} (its loss variables must be set). SameDiff prints one line per
     * differentiated op to standard output while doing so; stdout belongs to ncguard's own output (tables, JSON),
     * so those lines are dropped.
     */
    public static synchronized void prepare(SameDiff sd) {
        PrintStream out = System.out;
        try {
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            sd.createGradFunction();
        } finally {
            System.setOut(out);
        }
    }
}
