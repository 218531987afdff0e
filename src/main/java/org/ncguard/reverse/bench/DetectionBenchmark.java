package org.ncguard.reverse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.ncguard.NcguardException;
import org.ncguard.reverse.FlagRule;
import org.ncguard.reverse.LabelResult;
import org.ncguard.reverse.ScanReport;

/**
 * Scores flag rules on the detection benchmark's stored scans, without scanning again: every complete
 * {@code scans/ID-KEY/seed-S/scan.json} under the run folder (and not locked by a running scan, and not one shard of a
 * split scan), for every case of the case list, is re-decided by each
 * rule from its per-label L1 norms and natural shares.
 */
public final class DetectionBenchmark {

    private final List<BenchmarkCase> cases;
    private final List<StoredScan> scans;

    /** A complete stored scan of a case. */
    public record StoredScan(BenchmarkCase benchmarkCase, long seed, ScanReport report) {
    }

    private DetectionBenchmark(List<BenchmarkCase> cases, List<StoredScan> scans) {
        this.cases = List.copyOf(cases);
        this.scans = List.copyOf(scans);
    }

    /** Reads the case list (CSV, {@code #} comments) and the complete scans under {@code runs}. */
    public static DetectionBenchmark load(Path caseList, Path runs) throws NcguardException {
        List<BenchmarkCase> cases = readCases(caseList);
        List<StoredScan> scans = new ArrayList<>();
        for (BenchmarkCase c : cases) {
            Path dir = runs.resolve("scans").resolve(c.stem());
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> seeds = Files.list(dir)) {
                for (Path seedDir : seeds.sorted().toList()) {
                    Path json = seedDir.resolve("scan.json");
                    // run.sh holds seed-S.lock while it scans: a scan with every label done may still be refining
                    // its outliers and checking natural features.
                    if (!Files.isRegularFile(json) || Files.exists(Path.of(seedDir + ".lock"))) {
                        continue;
                    }
                    ScanReport report = ScanReport.read(json);
                    // A shard's verdict covers its own labels only; its merge is the scan to score.
                    if (report.complete() && report.shard() == null) {
                        scans.add(new StoredScan(c, report.seed(), report));
                    }
                }
            } catch (IOException e) {
                throw new NcguardException("cannot list the scans in " + dir + ": " + e.getMessage(), e);
            }
        }
        scans.sort(Comparator.comparingInt((StoredScan s) -> cases.indexOf(s.benchmarkCase()))
                .thenComparingLong(StoredScan::seed));
        return new DetectionBenchmark(cases, scans);
    }

    /** The cases of a case list file. */
    public static List<BenchmarkCase> readCases(Path caseList) throws NcguardException {
        List<String> lines;
        try {
            lines = Files.readAllLines(caseList);
        } catch (IOException e) {
            throw new NcguardException("cannot read the case list " + caseList + ": " + e.getMessage(), e);
        }
        List<BenchmarkCase> cases = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            try {
                cases.add(BenchmarkCase.parse(line.strip()));
            } catch (IllegalArgumentException e) {
                throw new NcguardException(caseList + ": " + e.getMessage(), e);
            }
        }
        return cases;
    }

    /** The cases of the list. */
    public List<BenchmarkCase> cases() {
        return cases;
    }

    /** The complete scans found, in case-list order, then by seed. */
    public List<StoredScan> scans() {
        return scans;
    }

    /** What {@code rule} makes of every stored scan. */
    public List<ScanOutcome> outcomes(FlagRule rule) {
        return scans.stream().map(s -> new ScanOutcome(s.benchmarkCase(), s.seed(), rule.name(),
                rule.withMadThreshold(s.report().threshold()).flag(s.report().labels()))).toList();
    }

    /** One line per rule: infected scans with the target flagged, wrong labels flagged, clean scans flagged. */
    public String summary(List<FlagRule> rules) {
        StringBuilder t = new StringBuilder();
        t.append("| rule | target flagged (infected scans) | infected scans with wrong labels | wrong labels flagged"
                + " | clean twins flagged (scans) | all right |\n|---|---|---|---|---|---|\n");
        for (FlagRule rule : rules) {
            List<ScanOutcome> all = outcomes(rule);
            List<ScanOutcome> infected = all.stream().filter(o -> o.benchmarkCase().infected()).toList();
            List<ScanOutcome> clean = all.stream().filter(o -> !o.benchmarkCase().infected()).toList();
            long hits = infected.stream().filter(ScanOutcome::targetFlagged).count();
            long withWrong = infected.stream().filter(o -> !o.wrongLabels().isEmpty()).count();
            long wrong = infected.stream().mapToLong(o -> o.wrongLabels().size()).sum();
            long falseAlarms = clean.stream().filter(o -> !o.flagged().isEmpty()).count();
            t.append(String.format(Locale.ROOT, "| %s | %d/%d | %d | %d | %d/%d | %d/%d |%n", rule.name(), hits,
                    infected.size(), withWrong, wrong, falseAlarms, clean.size(),
                    all.stream().filter(ScanOutcome::correct).count(), all.size()));
        }
        return t.toString();
    }

    /**
     * One line per stored scan: the planted target's L1 against the median (for a clean twin: its smallest trigger's),
     * its anomaly index on L1 and on ln L1, its natural share and transfer, and the labels each rule flagged (the
     * target in bold).
     */
    public String details(List<FlagRule> rules) {
        StringBuilder t = new StringBuilder("| case | trigger | scan seed | target | L1 / median | index | index"
                + " on ln L1 | natural share | transfer |");
        rules.forEach(r -> t.append(' ').append(r.name()).append(" |"));
        t.append("\n|---|---|---|---|---|---|---|---|---|").append("---|".repeat(rules.size())).append('\n');
        List<List<ScanOutcome>> byRule = rules.stream().map(this::outcomes).toList();
        for (int i = 0; i < scans.size(); i++) {
            StoredScan s = scans.get(i);
            BenchmarkCase c = s.benchmarkCase();
            ScanReport r = s.report();
            List<LabelResult> converged = r.labels().stream().filter(LabelResult::converged).toList();
            List<Double> logIndex = FlagRule.logIndices(converged.stream().map(LabelResult::l1).toList());
            String target = "-", size = "", index = "", logIdx = "", share = "", transfer = "";
            // An infected model: its target. A clean twin: its smallest trigger, the label a rule would flag first.
            int label = c.infected() ? c.target() : converged.stream().min(Comparator.comparingDouble(LabelResult::l1))
                    .map(LabelResult::label).orElse(-1);
            if (label >= 0) {
                target = c.infected() ? Integer.toString(label) : "(smallest: " + label + ")";
                int at = indexOfLabel(converged, label);
                if (at < 0) {
                    size = "not converged";
                } else {
                    LabelResult tr = converged.get(at);
                    size = String.format(Locale.ROOT, "%.1f / %.1f", tr.l1(), r.median());
                    index = String.format(Locale.ROOT, "%.2f", tr.anomalyIndex());
                    logIdx = String.format(Locale.ROOT, "%.2f", logIndex.get(at));
                    share = tr.naturalShare() == null ? "" : String.format(Locale.ROOT, "%.0f%%",
                            100 * tr.naturalShare());
                    transfer = tr.transfer() == null ? "" : String.format(Locale.ROOT, "%.1f%%", 100 * tr.transfer());
                }
            }
            t.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s | %s |", c.id(),
                    c.infected() ? c.trigger() : "clean", s.seed(), target, size, index, logIdx, share, transfer));
            for (List<ScanOutcome> outcomes : byRule) {
                ScanOutcome o = outcomes.get(i);
                List<String> labels = o.flagged().keySet().stream().sorted()
                        .map(l -> l == c.target() ? "**" + l + "**" : Integer.toString(l)).toList();
                t.append(' ').append(labels.isEmpty() ? "none" : String.join(", ", labels)).append(" |");
            }
            t.append('\n');
        }
        return t.toString();
    }

    /**
     * Every label a rule flagged wrongly (a non-target, or any label of a clean twin), with what the rule saw: L1
     * against the median, the index on L1 and on ln L1, the natural share, and the rule's reason.
     */
    public String wrongFlags(List<FlagRule> rules) {
        StringBuilder t = new StringBuilder();
        for (FlagRule rule : rules) {
            List<ScanOutcome> outcomes = outcomes(rule);
            for (int i = 0; i < scans.size(); i++) {
                StoredScan s = scans.get(i);
                List<LabelResult> converged = s.report().labels().stream().filter(LabelResult::converged).toList();
                List<Double> logIndex = FlagRule.logIndices(converged.stream().map(LabelResult::l1).toList());
                for (int label : outcomes.get(i).wrongLabels()) {
                    int at = indexOfLabel(converged, label);
                    LabelResult r = converged.get(at);
                    t.append(String.format(Locale.ROOT, "- %s: %s seed %d, label %d: L1 %.1f = %.2f of the median,"
                            + " index %.2f, on ln L1 %.2f, natural share %s, transfer %s (%s)%n", rule.name(),
                            s.benchmarkCase().id(), s.seed(), label, r.l1(), r.l1() / s.report().median(),
                            r.anomalyIndex(), logIndex.get(at), r.naturalShare() == null ? "not measured"
                                    : String.format(Locale.ROOT, "%.0f%%", 100 * r.naturalShare()),
                            r.transfer() == null ? "not measured" : String.format(Locale.ROOT, "%.1f%%",
                                    100 * r.transfer()),
                            outcomes.get(i).flagged().get(label)));
                }
            }
        }
        return t.toString();
    }

    private static int indexOfLabel(List<LabelResult> results, int label) {
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i).label() == label) {
                return i;
            }
        }
        return -1;
    }
}
