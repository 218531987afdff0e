package org.ncguard.engine;

import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thread counts and OpenMP behaviour for ND4J's native code. Oversubscribing a small machine doubled the time of a
 * training step, so ncguard always sets the count explicitly; and OpenMP threads that spin while waiting made two
 * threads many times slower than one whenever anything else ran on the machine, so they sleep instead.
 */
public final class NativeThreads {

    private static final Logger log = LoggerFactory.getLogger(NativeThreads.class);

    private static int configured;

    private NativeThreads() {}

    /** The count given to {@link #configure}, or {@link #defaultCount()} before that. */
    public static synchronized int count() {
        return configured > 0 ? configured : defaultCount();
    }

    /** Threads to use when the user says nothing: the OMP_NUM_THREADS convention, else all cores. */
    public static int defaultCount() {
        String env = System.getenv("OMP_NUM_THREADS");
        if (env != null && env.matches("\\d+") && Integer.parseInt(env) > 0) {
            return Integer.parseInt(env);
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Prepares the native libraries before anything loads them: OpenMP's wait policy (see
     * {@link #passiveWaitPolicy}) and a cap on native memory. ND4J's arrays live outside the Java heap and are freed
     * when the garbage collector finds their handles; JavaCPP's default cap (twice the heap) let one scan grow past
     * 10 GB and push a 24 GB machine into swapping. Past the cap JavaCPP collects garbage before allocating more.
     * Both can be overridden: OMP_WAIT_POLICY, and {@code -Dorg.bytedeco.javacpp.maxphysicalbytes}. Does nothing
     * where ND4J is not installed (the guard's image, which carries neither ND4J nor JNA).
     */
    public static synchronized void prepare() {
        if (NativeThreads.class.getClassLoader().getResource("org/nd4j/linalg/factory/Nd4j.class") == null) {
            return;
        }
        passiveWaitPolicy();
        if (System.getProperty("org.bytedeco.javacpp.maxphysicalbytes") == null) {
            System.setProperty("org.bytedeco.javacpp.maxphysicalbytes", "6g");
        }
        if (System.getProperty("org.bytedeco.javacpp.maxbytes") == null) {
            System.setProperty("org.bytedeco.javacpp.maxbytes", "4g");
        }
    }

    /** The C library's setenv: OpenMP reads its settings from the environment once, when it is loaded. */
    private interface LibC extends com.sun.jna.Library {
        int setenv(String name, String value, int overwrite);
    }

    /**
     * Makes OpenMP's idle threads sleep rather than spin ({@code OMP_WAIT_POLICY=PASSIVE}) unless the user chose
     * otherwise. Takes effect only if called before ND4J's native library is loaded; later it changes nothing.
     */
    public static synchronized void passiveWaitPolicy() {
        if (System.getenv("OMP_WAIT_POLICY") != null) {
            return;
        }
        try {
            LibC libc = (LibC) com.sun.jna.Native.loadLibrary("c", LibC.class);
            libc.setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
        } catch (UnsatisfiedLinkError e) {
            log.debug("cannot set OMP_WAIT_POLICY: {}", e.getMessage());
        }
    }

    /** Native threads for ND4J and for the ONNX Runtime sessions that heavy work opens. */
    public static synchronized void configure(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, found " + threads);
        }
        configured = threads;
        prepare();
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        log.debug("ND4J native threads: {}", threads);
    }
}
