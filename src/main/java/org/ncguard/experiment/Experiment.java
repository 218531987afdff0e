package org.ncguard.experiment;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.ncguard.NcguardException;
import org.ncguard.mitigate.patch.PruneLayer;
import org.ncguard.mitigate.patch.UnlearnSettings;
import org.ncguard.reverse.ScanReport;

/**
 * {@code ncguard experiment}: plans every step (train, evaluate, scan per seed, filter, prune, unlearn, the scaling
 * study), runs the plan with progress on stderr, and gathers the results for the tables and figures.
 */
public final class Experiment {

    /** Early detection's steps in the scaling study when the run itself does full searches (scan's default). */
    static final int SCALING_FAST_STEPS = 30;

    private final ExperimentSettings settings;
    private final PrintStream progress;
    private final ExperimentStore store;
    private final Models models;
    private final Scans scans;
    private final List<Task> tasks;

    private final Map<String, Path> modelFiles = new HashMap<>();
    private final Map<String, ModelFigures> figures = new HashMap<>();
    private final Map<String, ScanReport> reports = new HashMap<>();
    private final Map<String, Object> steps = new HashMap<>();
    private final Map<String, List<String>> notes = new HashMap<>();

    private Experiment(ExperimentSettings settings, PrintStream progress, List<Task> tasks, ExperimentStore store) {
        this.settings = settings;
        this.progress = progress;
        this.tasks = tasks;
        this.store = store;
        this.models = new Models(store, settings);
        this.scans = new Scans(store, settings);
    }

    /** Checks the tasks, then the output folder, before anything runs. */
    public static Experiment prepare(ExperimentSettings settings, PrintStream progress) throws NcguardException {
        List<Task> tasks = Tasks.of(settings.tasks(), settings);
        return new Experiment(settings, progress, tasks, ExperimentStore.open(settings.out(), settings.resume()));
    }

    /**
     * Runs (or reads back) every step, then writes the results.
     *
     * @param command the command line as the user typed it, for the results page
     */
    public Runs.Outcome run(String command) throws NcguardException {
        long start = System.nanoTime();
        String machine = machine();
        Plan plan = plan();
        progress.printf(Locale.ROOT, "experiment: %d tasks, %d seed(s), %d steps (%d kept from an earlier run) in %s%n",
                tasks.size(), settings.seeds(), plan.size(), plan.done(), settings.out());
        String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        plan.run(progress);
        List<ExperimentStore.Invocation> invocations = store.logInvocation(new ExperimentStore.Invocation(command,
                started, (System.nanoTime() - start) / 1e9, plan.size(), plan.done()));
        Runs.Outcome outcome = gather(invocations, machine);
        new ResultsWriter(settings, command).write(outcome);
        progress.printf(Locale.ROOT, "results: %s%n", settings.results().resolve(ResultsWriter.MARKDOWN));
        return outcome;
    }

    private Plan plan() throws NcguardException {
        Plan plan = new Plan();
        Set<String> planned = new LinkedHashSet<>();
        for (Task task : tasks) {
            planModels(plan, planned, task, List.of(true, false));
            for (long seed = 1; seed <= settings.seeds(); seed++) {
                planScans(plan, task, seed, settings.fastSteps());
                planMitigation(plan, task, seed);
            }
        }
        for (int labels : settings.scalingLabels()) {
            Task task = Tasks.glyphs(labels, settings);
            // The scaling study scans infected models only: it times scans and checks their verdict.
            planModels(plan, planned, task, List.of(true));
            for (int fast : List.of(0, scalingFast())) {
                planScan(plan, task, true, 1, fast);
            }
        }
        return plan;
    }

    private int scalingFast() {
        return settings.fastSteps() > 0 ? settings.fastSteps() : SCALING_FAST_STEPS;
    }

    private void planModels(Plan plan, Set<String> planned, Task task, List<Boolean> kinds) {
        for (boolean infected : kinds) {
            String stem = models.stem(task, infected);
            if (planned.add(stem)) {
                plan.add("train " + (infected ? "the infected " + task.id() + " model" : "the clean twin " + stem),
                        models.trained(task, infected), () -> modelFiles.put(stem, models.ensure(task, infected)));
            }
            String name = "evaluate-" + task.id() + "-" + stem + "-" + StepKey.of(task.test(), task.trigger().spec(),
                    Integer.toString(task.target()));
            // Scaling-only models need no Table 2 row.
            if (planned.add(name) && settings.tasks().contains(task.id())) {
                plan.add("evaluate the " + (infected ? "infected" : "clean") + " " + task.id() + " model (Table 2)",
                        store.step(name).toFile().isFile(), () -> figures.put(task.id() + infected,
                                kept(name, ModelFigures.class, () -> ModelFigures.measure(task, modelFiles.get(stem),
                                        models.trainingSeconds(modelFiles.get(stem)), settings.threads()))));
            }
        }
    }

    private void planScans(Plan plan, Task task, long seed, int fast) {
        planScan(plan, task, true, seed, fast);
        planScan(plan, task, false, seed, fast);
    }

    private void planScan(Plan plan, Task task, boolean infected, long seed, int fast) {
        String stem = models.stem(task, infected);
        plan.add(String.format(Locale.ROOT, "scan the %s %s model, seed %d (%s)", infected ? "infected" : "clean",
                task.id(), seed, Scans.mode(fast)),
                scans.done(task, stem, fast, seed), () -> reports.put(scanKey(stem, fast, seed),
                        scans.ensure(task, stem, modelFiles.get(stem), fast, seed)));
    }

    private void planMitigation(Plan plan, Task task, long seed) {
        String stem = models.stem(task, true);
        Path scanDir = scans.dir(task, stem, settings.fastSteps(), seed);
        String key = StepKey.of(scanDir.getParent().getFileName().toString(), task.scan(), task.test(),
                task.train(), Integer.toString(settings.profileSamples()), Integer.toString(settings.testImages()),
                Integer.toString(settings.scanSamples()));
        String at = stem + "-seed-" + seed + "-" + key;
        Path scratch = store.root().resolve("patched");
        plan.add("input filter of the " + task.id() + " model, seed " + seed + " (Fig. 5a)",
                store.step("filter-" + at).toFile().isFile(), () -> measured(task, seed, "filter", "filter-" + at,
                        FilterFigures.class, () -> FilterFigures.measure(task, modelFiles.get(stem), scanDir,
                                settings.profileSamples(), settings.threads()), false));
        // A patch of a model whose scan flagged nothing is not run: known as soon as that scan is kept.
        boolean notPatched = scans.flaggedNothing(task, stem, settings.fastSteps(), seed);
        for (PruneLayer layer : PruneLayer.values()) {
            String name = "prune-" + layer.id() + "-" + at;
            plan.add("prune the " + layer.id() + " layer of the " + task.id() + " model, seed " + seed
                    + " (Fig. 5b/c)", notPatched || store.step(name).toFile().isFile(), () -> measured(task, seed,
                            "prune-" + layer.id(), name, PruningFigures.class, () -> PruningFigures.measure(task, modelFiles.get(stem), scanDir,
                                    layer, scratch.resolve(name + ".onnx"), settings), true));
        }
        String unlearn = "unlearn-" + at;
        plan.add("unlearn the " + task.id() + " model's backdoor, seed " + seed + " (Table 4)",
                notPatched || store.step(unlearn).toFile().isFile(), () -> measured(task, seed, "unlearn", unlearn,
                        UnlearningFigures.class,
                        () -> UnlearningFigures.measure(task, modelFiles.get(stem), scanDir,
                                scratch.resolve(unlearn + ".onnx"), UnlearnSettings.paper(), settings), true));
        // The defaults' own key: a kept result is read back only under the defaults it was measured with.
        String unlearnMore = "unlearn-defaults-" + at + "-" + StepKey.of(UnlearnSettings.defaults().toString());
        plan.add("unlearn the " + task.id() + " model's backdoor with ncguard patch's defaults, seed " + seed
                + " (Table 4)",
                notPatched || store.step(unlearnMore).toFile().isFile(), () -> measured(task, seed, "unlearn-more",
                        unlearnMore, UnlearningFigures.class,
                        () -> UnlearningFigures.measure(task, modelFiles.get(stem), scanDir,
                                scratch.resolve(unlearnMore + ".onnx"), UnlearnSettings.defaults(), settings),
                        true));
    }

    /** A step's result under {@code task}/{@code seed}; patches only for a model whose scan flagged some label. */
    private <T> void measured(Task task, long seed, String kind, String name, Class<T> type, Measure<T> measure,
            boolean needsFlag) throws NcguardException {
        String at = task.id() + "/" + seed;
        ScanReport scan = reports.get(scanKey(models.stem(task, true), settings.fastSteps(), seed));
        if (needsFlag && scan.flagged().isEmpty()) {
            note(at, kind + ": not run, the scan flagged no label (a defender would not patch this model)");
            return;
        }
        try {
            steps.put(at + "/" + kind, kept(name, type, measure));
        } catch (NcguardException e) {
            note(at, kind + ": not measured, " + e.getMessage());
        }
    }

    private void note(String at, String note) {
        notes.computeIfAbsent(at, k -> new ArrayList<>()).add(note);
    }

    /** A measurement that can fail with a user-level error. */
    private interface Measure<T> {
        T get() throws NcguardException;
    }

    private <T> T kept(String name, Class<T> type, Measure<T> measure) throws NcguardException {
        var done = store.read(name, type);
        return done.isPresent() ? done.get() : store.write(name, measure.get());
    }

    private static String scanKey(String stem, int fast, long seed) {
        return stem + "/" + fast + "/" + seed;
    }

    private Runs.Outcome gather(List<ExperimentStore.Invocation> invocations, String machine)
            throws NcguardException {
        List<Runs.TaskRun> taskRuns = new ArrayList<>();
        double stepSeconds = 0;
        for (Task task : tasks) {
            List<Runs.SeedRun> seeds = new ArrayList<>();
            for (long seed = 1; seed <= settings.seeds(); seed++) {
                String at = task.id() + "/" + seed;
                String stem = models.stem(task, true);
                List<PruningFigures> pruning = new ArrayList<>();
                for (PruneLayer layer : PruneLayer.values()) {
                    if (steps.get(at + "/prune-" + layer.id()) instanceof PruningFigures p) {
                        pruning.add(p);
                    }
                }
                seeds.add(new Runs.SeedRun(seed, reports.get(scanKey(stem, settings.fastSteps(), seed)),
                        scans.dir(task, stem, settings.fastSteps(), seed),
                        reports.get(scanKey(models.stem(task, false), settings.fastSteps(), seed)),
                        (FilterFigures) steps.get(at + "/filter"), pruning,
                        (UnlearningFigures) steps.get(at + "/unlearn"),
                        (UnlearningFigures) steps.get(at + "/unlearn-more"),
                        notes.getOrDefault(at, List.of())));
            }
            taskRuns.add(new Runs.TaskRun(task, figures.get(task.id() + true), figures.get(task.id() + false), seeds));
        }
        List<Runs.ScalingRun> scaling = new ArrayList<>();
        for (int labels : settings.scalingLabels()) {
            Task task = Tasks.glyphs(labels, settings);
            for (int fast : List.of(0, scalingFast())) {
                scaling.add(new Runs.ScalingRun(labels, Scans.mode(fast),
                        reports.get(scanKey(models.stem(task, true), fast, 1)), task.target()));
            }
        }
        for (ScanReport r : reports.values()) {
            stepSeconds += r.seconds();
        }
        for (Path model : modelFiles.values()) {
            stepSeconds += models.trainingSeconds(model);
        }
        for (Object step : steps.values()) {
            stepSeconds += step instanceof FilterFigures f ? f.seconds() : step instanceof PruningFigures p
                    ? p.seconds() : step instanceof UnlearningFigures u ? u.seconds() : 0;
        }
        return new Runs.Outcome(settings, taskRuns, scaling, invocations, stepSeconds, machine);
    }

    /** The machine, for the results page: CPU, cores, memory, OS, Java, and the load when the run started. */
    static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
        } catch (IOException | RuntimeException e) {
            // not Linux: the rest still says enough
        }
        return String.format(Locale.ROOT, "%s, %d cores visible to the JVM, %.1f GB max heap, %s %s, Java %s, load "
                + "average %.1f at the start", cpu, Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() / 1e9, System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.version"), ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage());
    }
}
