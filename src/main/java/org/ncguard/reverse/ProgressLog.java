package org.ncguard.reverse;

import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs the search of a label group every few steps: step, attack success, L1, cost, elapsed time. */
final class ProgressLog implements TriggerOptimizer.Progress {

    private static final Logger log = LoggerFactory.getLogger(NeuralCleanse.class);
    private static final int EVERY = 10;

    private final int firstLabel;
    private final int maxSteps;
    private final BooleanSupplier cancelled;
    private final long start = System.nanoTime();

    ProgressLog(int[] group, int maxSteps, BooleanSupplier cancelled) {
        this.firstLabel = group[0];
        this.maxSteps = maxSteps;
        this.cancelled = cancelled;
        StringBuilder labels = new StringBuilder();
        for (int l : group) {
            labels.append(labels.length() == 0 ? "" : ", ").append(l);
        }
        log.info("optimising triggers for label(s) {}", labels);
    }

    @Override
    public void step(int label, int step, double attackSuccess, double l1, double cost) {
        if (step % EVERY == 0 || step == 1) {
            double elapsed = (System.nanoTime() - start) / 1e9;
            String line = String.format("label %d step %d/%d: attack success %.3f, L1 %.1f, cost %.2e, %.0fs "
                    + "(at most %.0fs left)", label, step, maxSteps, attackSuccess, l1, cost, elapsed,
                    elapsed / step * (maxSteps - step));
            if (label == firstLabel) {
                log.info(line);
            } else {
                log.debug(line);
            }
        }
    }

    @Override
    public boolean cancelled() {
        return cancelled.getAsBoolean();
    }
}
