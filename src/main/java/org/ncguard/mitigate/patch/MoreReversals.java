package org.ncguard.mitigate.patch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.ncguard.NcguardException;
import org.ncguard.data.ImageSource;
import org.ncguard.data.Preprocessor;
import org.ncguard.data.Trigger;
import org.ncguard.engine.OnnxModel;
import org.ncguard.reverse.NeuralCleanse;
import org.ncguard.reverse.ReverseSettings;
import org.ncguard.reverse.ScanFiles;
import org.ncguard.reverse.TriggerStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * More reversed triggers of the flagged labels, from Neural Cleanse runs with other seeds. One reversed trigger is one
 * of many small triggers that reach the label; unlearning on a single one teaches the model to ignore that one and
 * little else (measured on a BadNets Fashion-MNIST model: the real trigger kept 13.6% attack success after unlearning
 * one reversed trigger, 5.5% after three). The searches run in a temporary folder that is removed afterwards.
 */
final class MoreReversals {

    private static final Logger log = LoggerFactory.getLogger(MoreReversals.class);

    private MoreReversals() {
    }

    /**
     * {@code count} more triggers per label of {@code labels}, searched on up to {@code samples} clean images of
     * {@code data} with seeds {@code seed + 1 .. seed + count}.
     */
    static List<Trigger> find(OnnxModel model, Preprocessor pre, ImageSource data, List<Integer> labels, int count,
            int samples, long seed) throws NcguardException {
        List<Trigger> found = new ArrayList<>();
        if (count == 0) {
            return found;
        }
        ReverseSettings settings = ReverseSettings.defaults().withSamples(Math.min(samples, data.count()));
        Path tmp;
        try {
            tmp = Files.createTempDirectory("ncguard-reversals");
        } catch (IOException e) {
            throw new NcguardException("cannot create a temporary folder for the extra trigger searches: " + e, e);
        }
        try {
            for (int i = 1; i <= count; i++) {
                Path out = tmp.resolve("seed-" + (seed + i));
                log.info("searching the reversed trigger(s) of {} again with seed {} ({} of {})", labels, seed + i, i,
                        count);
                new NeuralCleanse(model, pre, settings, seed + i, 0).scan(data, labels, out, false, () -> false);
                TriggerStore store = new TriggerStore(new ScanFiles(out));
                for (int label : labels) {
                    store.load(label).ifPresent(t -> found.add(t.toTrigger()));
                }
            }
        } finally {
            delete(tmp);
        }
        return found;
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.warn("could not remove the temporary folder {}: {}", dir, e.toString());
        }
    }
}
