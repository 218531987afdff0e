package org.ncguard.engine;

import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thread counts for ND4J's native code. Oversubscribing a small machine doubled the time of a training step, so
 * ncguard always sets them explicitly instead of trusting the library's default.
 */
public final class NativeThreads {

    private static final Logger log = LoggerFactory.getLogger(NativeThreads.class);

    private NativeThreads() {}

    /** Threads to use when the user says nothing: the OMP_NUM_THREADS convention, else all cores. */
    public static int defaultCount() {
        String env = System.getenv("OMP_NUM_THREADS");
        if (env != null && env.matches("\\d+") && Integer.parseInt(env) > 0) {
            return Integer.parseInt(env);
        }
        return Runtime.getRuntime().availableProcessors();
    }

    public static void configure(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, found " + threads);
        }
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        log.debug("ND4J native threads: {}", threads);
    }
}
