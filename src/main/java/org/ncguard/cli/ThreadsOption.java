package org.ncguard.cli;

import org.ncguard.engine.NativeThreads;
import picocli.CommandLine.Option;

/** {@code --threads}: native threads for ND4J and ONNX Runtime, the same way in every command. */
final class ThreadsOption {

    @Option(names = "--threads", paramLabel = "N", description = "Native threads (default: OMP_NUM_THREADS or all cores).")
    Integer threads;

    /** The chosen count, for ONNX Runtime's scorer options. */
    int count() {
        return threads == null ? NativeThreads.defaultCount() : threads;
    }

    /** The chosen count, applied to ND4J too (loads its native library: only for commands that use it). */
    int configure() {
        int n = count();
        NativeThreads.configure(n);
        return n;
    }
}
