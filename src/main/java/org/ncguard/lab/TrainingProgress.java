package org.ncguard.lab;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs training progress (epoch, batch, running loss and accuracy, time left) every few seconds, to stderr. */
final class TrainingProgress {

    private static final Logger log = LoggerFactory.getLogger(Trainer.class);

    /** Seconds between progress lines within an epoch. */
    private static final double EVERY_SECONDS = 10;

    private final int epochs;
    private final int batchesPerEpoch;
    private final long start = System.nanoTime();
    private long lastLine = System.nanoTime();

    TrainingProgress(int epochs, int batchesPerEpoch) {
        this.epochs = epochs;
        this.batchesPerEpoch = batchesPerEpoch;
    }

    void batchDone(int epoch, int batch, double loss, double accuracy) {
        long now = System.nanoTime();
        if ((now - lastLine) / 1e9 < EVERY_SECONDS || batch == batchesPerEpoch) {
            return;
        }
        lastLine = now;
        log.info("epoch {}/{}  batch {}/{}  loss {}  accuracy {}  {} left", epoch + 1, epochs, batch,
                batchesPerEpoch, String.format("%.4f", loss), percent(accuracy),
                duration(secondsLeft(now, (long) epoch * batchesPerEpoch + batch)));
    }

    void epochDone(int epoch, double seconds, double loss, double accuracy) {
        long now = System.nanoTime();
        lastLine = now;
        log.info("epoch {}/{} done in {}: loss {}  training accuracy {}{}", epoch + 1, epochs, duration(seconds),
                String.format("%.4f", loss), percent(accuracy), epoch + 1 < epochs
                        ? "  " + duration(secondsLeft(now, (long) (epoch + 1) * batchesPerEpoch)) + " left" : "");
    }

    private double secondsLeft(long now, long batchesDone) {
        long total = (long) epochs * batchesPerEpoch;
        return (now - start) / 1e9 / batchesDone * (total - batchesDone);
    }

    static String percent(double share) {
        return String.format("%.2f%%", 100 * share);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return String.format("%.1f s", seconds);
        }
        return s >= 3600 ? String.format("%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60)
                : String.format("%dm%02ds", s / 60, s % 60);
    }
}
