package org.ncguard.reverse;

import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs each label's search every few steps (every step with --verbose): attack success, L1, cost, time. */
final class ProgressLog implements TriggerOptimizer.Progress {

    private static final Logger log = LoggerFactory.getLogger(NeuralCleanse.class);
    private static final int EVERY = 25;

    private final int maxSteps;
    private final BooleanSupplier cancelled;
    private final long start = System.nanoTime();

    ProgressLog(int maxSteps, BooleanSupplier cancelled) {
        this.maxSteps = maxSteps;
        this.cancelled = cancelled;
    }

    @Override
    public void step(int label, int step, double attackSuccess, double l1, double cost) {
        String line = String.format("label %d step %d/%d: attack success %.3f, L1 %.1f, cost %.2e (%.0fs)", label, step,
                maxSteps, attackSuccess, l1, cost, (System.nanoTime() - start) / 1e9);
        if (step % EVERY == 0 || step == 1) {
            log.info(line);
        } else {
            log.debug(line);
        }
    }

    @Override
    public boolean cancelled() {
        return cancelled.getAsBoolean();
    }
}
