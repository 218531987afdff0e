package org.ncguard.experiment;

import java.nio.file.Path;
import java.util.List;
import org.ncguard.reverse.ScanReport;

/** What the experiment measured, step results gathered per task and seed: the input of every table and figure. */
final class Runs {

    private Runs() {
    }

    /**
     * One task: its two models and every scan seed.
     *
     * @param task     the task
     * @param infected Table 2's figures of the infected model
     * @param clean    Table 2's figures of its clean twin
     * @param seeds    one entry per scan seed, ascending
     */
    record TaskRun(Task task, ModelFigures infected, ModelFigures clean, List<SeedRun> seeds) {}

    /**
     * One scan seed of one task.
     *
     * @param seed        the scan seed
     * @param infected    the infected model's scan
     * @param infectedDir its folder (reversed triggers, report page)
     * @param clean       the clean twin's scan
     * @param filter      Fig. 5a; null when not measured
     * @param pruning     Fig. 5b/c, one per layer; empty when not measured
     * @param unlearning  Table 4, the paper's way (the scan's reversed trigger); null when not measured
     * @param unlearningMore Table 4 with {@code patch}'s defaults ({@code UnlearnSettings.defaults()}); null when not
     *                       measured
     * @param notes       why a figure is missing, if one is
     */
    record SeedRun(long seed, ScanReport infected, Path infectedDir, ScanReport clean, FilterFigures filter,
            List<PruningFigures> pruning, UnlearningFigures unlearning, UnlearningFigures unlearningMore,
            List<String> notes) {}

    /**
     * One scan of the scaling study.
     *
     * @param labels the model's label count
     * @param mode   {@code full} or {@code fastN}
     * @param scan   the scan (its seconds, verdict and steps)
     * @param target the planted target
     */
    record ScalingRun(int labels, String mode, ScanReport scan, int target) {}

    /**
     * The whole experiment.
     *
     * @param settings    what ran
     * @param tasks       per task, in report order
     * @param scaling     the scaling study's scans, by label count then mode
     * @param invocations every invocation on the output folder, this one last
     * @param stepSeconds the recorded time of every step, whichever invocation ran it
     * @param machine     where this invocation ran
     */
    record Outcome(ExperimentSettings settings, List<TaskRun> tasks, List<ScalingRun> scaling,
            List<ExperimentStore.Invocation> invocations, double stepSeconds, String machine) {

        /** Wall time of every invocation together. */
        double wallSeconds() {
            return invocations.stream().mapToDouble(ExperimentStore.Invocation::wallSeconds).sum();
        }
    }
}
