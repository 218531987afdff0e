package org.ncguard.experiment;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ncguard.NcguardException;

/**
 * The experiment's steps in the order they run, known before the first one starts, so that progress can say which
 * step of how many is running. A step whose result is already kept says so and is read back instead of redone.
 */
final class Plan {

    /** One unit of work. */
    interface Work {
        void run() throws NcguardException;
    }

    private record Step(String description, boolean done, Work work) {}

    private final List<Step> steps = new ArrayList<>();

    /** Adds a step; {@code done} says whether its result is kept already (reading it back is then all it does). */
    void add(String description, boolean done, Work work) {
        steps.add(new Step(description, done, work));
    }

    int size() {
        return steps.size();
    }

    /** Steps whose result is kept already. */
    long done() {
        return steps.stream().filter(Step::done).count();
    }

    /** Runs every step, one line of progress each: step number, elapsed time, what, and whether it is read back. */
    void run(PrintStream progress) throws NcguardException {
        long start = System.nanoTime();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            progress.printf(Locale.ROOT, "[step %d/%d, %s] %s%s%n", i + 1, steps.size(),
                    elapsed(System.nanoTime() - start), step.description(), step.done() ? " (kept: read back)" : "");
            step.work().run();
        }
        progress.printf(Locale.ROOT, "[done, %s] %d steps, %d read back%n", elapsed(System.nanoTime() - start),
                steps.size(), done());
    }

    static String elapsed(long nanos) {
        long s = nanos / 1_000_000_000L;
        return s < 3600 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60)
                : String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60);
    }
}
