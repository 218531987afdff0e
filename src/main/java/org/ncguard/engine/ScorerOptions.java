package org.ncguard.engine;

/** ONNX Runtime threading: intra-op threads per request, and no inter-op parallelism (our graphs are chains). */
public record ScorerOptions(int intraOpThreads) {

    public ScorerOptions {
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intraOpThreads must be >= 1, found " + intraOpThreads);
        }
    }

    public static ScorerOptions defaults() {
        return new ScorerOptions(Math.min(2, Runtime.getRuntime().availableProcessors()));
    }
}
