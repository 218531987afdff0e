package org.ncguard.demo;

import java.nio.file.Path;
import org.ncguard.guard.Guarantee;
import org.ncguard.guard.GuardMode;

/**
 * How the demo runs.
 *
 * @param cache          where the trained model, its scan and profile are kept between runs
 * @param requests       requests sent through the guard
 * @param triggeredShare share of them stamped with the real trigger
 * @param rate           requests per second sent
 * @param mode           drop or flag
 * @param guarantee      exactly-once or at-least-once
 * @param threads        ONNX Runtime's and ND4J's threads
 */
public record DemoSettings(Path cache, int requests, double triggeredShare, int rate, GuardMode mode,
                           Guarantee guarantee, int threads) {

    public DemoSettings {
        if (cache == null) {
            throw new IllegalArgumentException("a cache folder is required");
        }
        if (requests < 10) {
            throw new IllegalArgumentException("requests must be >= 10, found " + requests);
        }
        if (!(triggeredShare > 0 && triggeredShare < 1)) {
            throw new IllegalArgumentException("the triggered share must be in (0, 1), found " + triggeredShare);
        }
        if (rate < 1) {
            throw new IllegalArgumentException("rate must be >= 1 request per second, found " + rate);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, found " + threads);
        }
    }
}
