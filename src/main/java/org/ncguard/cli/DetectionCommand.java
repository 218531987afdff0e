package org.ncguard.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ncguard.NcguardException;
import org.ncguard.reverse.FlagRule;
import org.ncguard.reverse.bench.CandidateRules;
import org.ncguard.reverse.bench.DetectionBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ncguard detection}: scores the flag rules on the detection benchmark's stored scans. */
@Command(name = "detection", mixinStandardHelpOptions = true,
        description = "Score flag rules (the paper's, ncguard's and the candidates) on the stored scans of the "
                + "detection benchmark (src/benchmark/detection/run.sh), without scanning again: target flagged, wrong "
                + "labels, clean twins flagged.")
final class DetectionCommand implements Callable<Integer> {

    @Option(names = "--cases", required = true, paramLabel = "cases.csv", description = "The benchmark's case list.")
    Path cases;

    @Option(names = "--runs", required = true, paramLabel = "DIR",
            description = "The folder run.sh wrote (models/, scans/).")
    Path runs;

    @Option(names = "--details", split = ",", paramLabel = "RULE",
            description = "Rules to show per scan (default: paper,ncguard).")
    List<String> details = List.of("paper", "ncguard");

    @Override
    public Integer call() throws NcguardException {
        DetectionBenchmark benchmark = DetectionBenchmark.load(cases, runs);
        if (benchmark.scans().isEmpty()) {
            throw new NcguardException("no complete scan of a case of " + cases + " under " + runs + "/scans");
        }
        List<FlagRule> shown;
        try {
            shown = details.stream().map(CandidateRules::named).toList();
        } catch (IllegalArgumentException e) {
            throw new NcguardException(e.getMessage(), e);
        }
        System.out.printf("%d complete scans of %d cases%n%n", benchmark.scans().size(), benchmark.cases().size());
        System.out.println(benchmark.summary(CandidateRules.all()));
        System.out.println(benchmark.details(shown));
        System.out.println("Labels flagged wrongly:");
        System.out.println(benchmark.wrongFlags(shown));
        return 0;
    }
}
