package org.ncguard.experiment;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one {@code ncguard experiment} runs and at what size. {@link #paper()} is the full configuration; smaller ones
 * change sizes, never the method.
 *
 * @param out             the output folder: models, scans, steps and results
 * @param results         where results.md, results.html and the plots go
 * @param tasks           task ids ({@link Tasks}), in report order
 * @param seeds           scan seeds per model (1..seeds)
 * @param resume          read finished steps back instead of refusing a non-empty output folder
 * @param trainImages     training images per task; 0 for the whole training split
 * @param testImages      test images of Table 2 and of the patches' measurements
 * @param epochs          training epochs
 * @param scanSamples     clean images per scan step (Neural Cleanse: 1000)
 * @param fastSteps       0 for the full search on every label; otherwise early detection with this many steps
 * @param maxSteps        steps per label at most in the full search (Neural Cleanse: 1000)
 * @param profileSamples  clean images of the input filter (three slices)
 * @param glyphLabels     labels of the glyph task (at least 500 for the paper's scaling problem)
 * @param scalingLabels   label counts of the scan-time study; empty to skip it
 * @param imagesPerLabel  training images per label of the glyph tasks
 * @param threads         native threads
 */
public record ExperimentSettings(Path out, Path results, List<String> tasks, int seeds, boolean resume,
        int trainImages, int testImages, int epochs, int scanSamples, int fastSteps, int maxSteps,
        int profileSamples, int glyphLabels, List<Integer> scalingLabels, int imagesPerLabel, int threads) {

    public ExperimentSettings {
        if (out == null || results == null) {
            throw new IllegalArgumentException("an output folder and a results folder are required");
        }
        tasks = List.copyOf(tasks);
        scalingLabels = List.copyOf(scalingLabels);
        if (tasks.isEmpty() && scalingLabels.isEmpty()) {
            throw new IllegalArgumentException("nothing to run: give at least one task or a label count to scale to");
        }
        if (seeds < 1) {
            throw new IllegalArgumentException("seeds must be at least 1, found " + seeds);
        }
        if (trainImages < 0 || testImages < 1 || epochs < 1 || scanSamples < 32 || fastSteps < 0 || maxSteps < 1
                || profileSamples < 60 || imagesPerLabel < 1 || threads < 1) {
            throw new IllegalArgumentException(String.format("sizes out of range: train images %d (>= 0), test images"
                    + " %d (>= 1), epochs %d (>= 1), scan samples %d (>= 32), fast steps %d (>= 0), max steps %d (>= 1),"
                    + " profile samples %d (>= 60), images per label %d (>= 1), threads %d (>= 1)", trainImages,
                    testImages, epochs, scanSamples, fastSteps, maxSteps, profileSamples, imagesPerLabel, threads));
        }
        if (glyphLabels < 10) {
            throw new IllegalArgumentException("the glyph task needs at least 10 labels (the target is label 7), found "
                    + glyphLabels);
        }
        for (int labels : scalingLabels) {
            if (labels < 10) {
                throw new IllegalArgumentException("a scaling label count must be at least 10 (the target is label 7),"
                        + " found " + labels);
            }
        }
    }

    /** The full run: the paper's sizes where this machine allows them. */
    public static ExperimentSettings paper(Path out, Path results, int threads) {
        return new ExperimentSettings(out, results, Tasks.IDS, 3, false, 0, 2000, 4, 1000, 0, 1000, 3000, 520,
                List.of(10, 43, 100, 520), 60, threads);
    }

    /** The settings as a map, for the results page's provenance. */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tasks", String.join(",", tasks));
        m.put("seeds", seeds);
        m.put("trainImages", trainImages == 0 ? "all" : trainImages);
        m.put("testImages", testImages);
        m.put("epochs", epochs);
        m.put("scanSamples", scanSamples);
        m.put("scan", fastSteps == 0 ? "full search, up to " + maxSteps + " steps"
                : "early detection, " + fastSteps + " steps, then up to " + maxSteps + " for outliers");
        m.put("profileSamples", profileSamples);
        m.put("glyphLabels", glyphLabels);
        m.put("scalingLabels", scalingLabels);
        m.put("imagesPerLabel", imagesPerLabel);
        m.put("threads", threads);
        return m;
    }
}
