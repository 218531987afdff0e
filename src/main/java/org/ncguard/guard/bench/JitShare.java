package org.ncguard.guard.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * How much of a stretch of wall time this JVM's JIT compilers spent compiling (summed over its compiler threads, so it
 * can pass 1): a figure taken while it is high measures the JVM's start-up, not the code.
 */
final class JitShare {

    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();

    private final long startMillis;
    private final long startNanos;

    private JitShare() {
        this.startMillis = compileMillis();
        this.startNanos = System.nanoTime();
    }

    /** Starts measuring now. */
    static JitShare start() {
        return new JitShare();
    }

    /** Whether this JVM reports its compile time; without it, {@link #sinceStart()} is always 0. */
    static boolean supported() {
        return JIT != null && JIT.isCompilationTimeMonitoringSupported();
    }

    /** Compile time over wall time since {@link #start()}. */
    double sinceStart() {
        double wallMillis = (System.nanoTime() - startNanos) / 1e6;
        return wallMillis <= 0 ? 0 : (compileMillis() - startMillis) / wallMillis;
    }

    private static long compileMillis() {
        return supported() ? JIT.getTotalCompilationTime() : 0;
    }
}
