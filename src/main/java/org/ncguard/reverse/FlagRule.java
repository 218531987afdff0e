package org.ncguard.reverse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One way to decide, from a scan's per-label results, which labels carry a planted trigger: a set of candidate tests
 * on the reversed triggers' sizes, then the natural-feature check that clears candidates whose trigger draws a
 * feature of the label itself.
 *
 * <p>A converged label is a <em>candidate</em> when any enabled test picks it, each looking only at labels below
 * the median L1:
 * <ul>
 *   <li>the paper's outlier test on L1 ({@link AnomalyIndex}): anomaly index above {@code madThreshold};</li>
 *   <li>the same test on ln L1: trigger sizes are scale-like (a label's norm is a multiple of another's, not a
 *       sum), so when the other labels spread from 11 to 52 a planted trigger of 4.6 is 1.2 MADs below the median
 *       on L1 and 2.7 on ln L1;</li>
 *   <li>size: L1 under {@code smallFraction} of the median.</li>
 * </ul>
 * The two index thresholds hold for {@code baseLabels} labels and rise with more, as every label is a test: among 520
 * labels a dozen innocent ones pass the paper's 2 by chance (a synthetic glyph model's clean twin: 19).
 * A candidate is cleared as a natural feature of its label, where the rule asks for the transfer ({@code minTransfer}
 * above 0) and it was measured, when its trigger transfers ({@link TransferCheck}) to a reference model nobody
 * poisoned at least {@code minTransfer}, whatever its size, or when its natural share is at least {@code naturalShare}
 * with an L1 of at least {@code shareFraction} (and {@code guardFraction}) of the median; otherwise (no transfer asked
 * or measured: a reference model too weak to learn the labels measures none) when its natural share
 * ({@link NaturalFeatureCheck}) is at least {@code naturalShare} and its L1 at least {@code guardFraction} of the
 * median. The transfer told apart what the share did not: planted checkerboards and colour patches whose stamped
 * images mix with their label's clean images, and shirts, natural but with clean images that mix with other
 * garments'; but a clean twin's bag (0.65 of the median, share 73%) did not transfer, hence the share still clears a
 * trigger that is not small. The size guard, a stand-in for a test of naturalness, does not hold back a trigger that
 * transfers: a PyTorch colour model's natural bag at 0.23 of the median transferred 9.8%. A candidate with neither
 * measure is flagged.
 *
 * @param name            short name for tables and reports
 * @param madThreshold    index above which the outlier test on L1 picks a label; 0 turns the test off
 * @param logMadThreshold index above which the outlier test on ln L1 picks a label; 0 turns the test off
 * @param smallFraction   fraction of the median L1 under which a label is picked; 0 turns the test off
 * @param naturalShare    share from which a candidate is a natural feature and cleared; above 1, never cleared
 * @param guardFraction   fraction of the median under which a candidate stays flagged whatever its share; 0: none
 * @param minTransfer     transfer from which a candidate is natural, where measured; 0: the share decides
 * @param shareFraction   where the transfer is measured, fraction of the median from which a candidate that does not
 *                        transfer is still natural by its share; 1: the transfer alone decides
 * @param baseLabels      label count for which the two index thresholds hold as given; a model with more labels gets
 *                        higher ones ({@link #thresholdFor}); 0: the thresholds hold for every label count
 */
public record FlagRule(String name, double madThreshold, double logMadThreshold, double smallFraction,
                       double naturalShare, double guardFraction, double minTransfer, double shareFraction,
                       int baseLabels) {

    /** Neural Cleanse's own rule: the outlier test on L1 with the paper's threshold, nothing cleared. */
    public static final FlagRule PAPER = new FlagRule("paper", AnomalyIndex.DEFAULT_THRESHOLD, 0, 0, 2, 0);

    /** ncguard's rule before the detection benchmark: the paper's outliers, cleared as natural under a size guard. */
    public static final FlagRule OUTLIERS_NATURAL_GUARDED = new FlagRule("mad2+natural+guard0.5",
            AnomalyIndex.DEFAULT_THRESHOLD, 0, 0, NaturalFeatureCheck.NATURAL_SHARE, 0.5);

    /** Label count for which ncguard's index thresholds hold as given: the detection benchmark's 10-label models. */
    public static final int BASE_LABELS = 10;

    /** Index above which the outlier test on ln L1 picks a label, in ncguard's rule. */
    public static final double LOG_THRESHOLD = 2.5;

    /**
     * ncguard's rule, chosen on the detection benchmark (see the README's scan section): the paper's test on L1 or
     * the test on ln L1 above {@value #LOG_THRESHOLD}; a candidate is natural when its trigger transfers (2%), or by a
     * share of 50% from half the median, or, where no transfer is measured, by a share of 50% from a quarter of the
     * median. On the benchmark, planted targets scored 2.74 and more on ln L1; at 2 a clean twin's shirt (2.02, share
     * 37%) was flagged, at 3 a colour model's planted patch (2.74) was missed. Both thresholds hold for 10 labels and
     * rise with more ({@link #thresholdFor}): at 520 labels, 3.33 and 3.67.
     */
    public static final FlagRule NCGUARD = new FlagRule("ncguard", AnomalyIndex.DEFAULT_THRESHOLD, LOG_THRESHOLD, 0,
            NaturalFeatureCheck.NATURAL_SHARE, NaturalFeatureCheck.MIN_MEDIAN_FRACTION, TransferCheck.MIN_TRANSFER,
            TransferCheck.SHARE_FRACTION, BASE_LABELS);

    /** A rule that does not ask the transfer check. */
    public FlagRule(String name, double madThreshold, double logMadThreshold, double smallFraction, double naturalShare,
            double guardFraction) {
        this(name, madThreshold, logMadThreshold, smallFraction, naturalShare, guardFraction, 0, 1);
    }

    /** A rule in which, where the transfer is measured, it alone decides. */
    public FlagRule(String name, double madThreshold, double logMadThreshold, double smallFraction, double naturalShare,
            double guardFraction, double minTransfer) {
        this(name, madThreshold, logMadThreshold, smallFraction, naturalShare, guardFraction, minTransfer, 1);
    }

    /** A rule whose index thresholds hold for every label count. */
    public FlagRule(String name, double madThreshold, double logMadThreshold, double smallFraction, double naturalShare,
            double guardFraction, double minTransfer, double shareFraction) {
        this(name, madThreshold, logMadThreshold, smallFraction, naturalShare, guardFraction, minTransfer,
                shareFraction, 0);
    }

    public FlagRule {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a flag rule needs a name");
        }
        requireAtLeastZero("madThreshold", madThreshold);
        requireAtLeastZero("logMadThreshold", logMadThreshold);
        requireAtLeastZero("smallFraction", smallFraction);
        requireAtLeastZero("naturalShare", naturalShare);
        requireAtLeastZero("guardFraction", guardFraction);
        requireAtLeastZero("minTransfer", minTransfer);
        requireAtLeastZero("shareFraction", shareFraction);
        if (baseLabels < 0) {
            throw new IllegalArgumentException("baseLabels must be >= 0, found " + baseLabels);
        }
        if (madThreshold == 0 && logMadThreshold == 0 && smallFraction == 0) {
            throw new IllegalArgumentException("flag rule " + name + " has no test enabled: set madThreshold, "
                    + "logMadThreshold or smallFraction");
        }
    }

    private static void requireAtLeastZero(String what, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(what + " must be finite and >= 0, found " + value);
        }
    }

    /** This rule with the paper's test at another threshold (the scan's {@code threshold}). */
    public FlagRule withMadThreshold(double threshold) {
        return madThreshold == 0 ? this : new FlagRule(name, threshold, logMadThreshold, smallFraction, naturalShare,
                guardFraction, minTransfer, shareFraction, baseLabels);
    }

    /**
     * The index threshold for a model of {@code labels} labels: {@code threshold} up to {@code baseLabels}, above it
     * the index at which the chance that one of the labels passes by chance stays what it is for {@code baseLabels}
     * labels (for normally spread norms, each passes with the normal tail beyond the threshold). The test asks every
     * label, so with a fixed threshold a model of 520 labels has 52 times the false alarms of one of 10: the paper's 2
     * passes 2.3% of innocent labels, a dozen of 520. At 43 labels 2 becomes 2.56 (2.5 on ln L1: 2.98), at 520, 3.33
     * (3.67).
     */
    public double thresholdFor(double threshold, int labels) {
        if (baseLabels == 0 || labels <= baseLabels || threshold == 0) {
            return threshold;
        }
        return Math.max(threshold, NormalTail.quantile(NormalTail.above(threshold) * baseLabels / labels));
    }

    /**
     * The flagged labels of {@code results} (any order; labels that did not converge are never flagged), ascending,
     * each with a one-line reason: which test picked it and why the natural-feature check did not clear it.
     */
    public Map<Integer, String> flag(List<LabelResult> results) {
        Map<Integer, String> flagged = new LinkedHashMap<>();
        double median = medianL1(results);
        for (Map.Entry<Integer, String> candidate : candidates(results).entrySet()) {
            LabelResult r = results.stream().filter(x -> x.label() == candidate.getKey()).findFirst().orElseThrow();
            String why = candidate.getValue();
            if (naturalShare > 1) {
                flagged.put(r.label(), why);
            } else if (minTransfer > 0 && r.transfer() != null) {
                boolean looksNatural = r.naturalShare() != null && r.naturalShare() >= naturalShare
                        && r.l1() >= shareFraction * median;
                // A trigger that transfers is natural whatever its size: the guard stood in for that test.
                if (r.transfer() < minTransfer && !looksNatural) {
                    flagged.put(r.label(), why + String.format(Locale.ROOT, "; on a reference model nobody poisoned "
                            + "its trigger sends only %.1f%% more of other labels' images to it (< %s%%): planted, "
                            + "not a feature of the label", 100 * r.transfer(), trim(100 * minTransfer)));
                } else if (r.transfer() < minTransfer && r.l1() < guardFraction * median) {
                    flagged.put(r.label(), why + String.format(Locale.ROOT, "; natural by its share, but L1 is under "
                            + "%s of the median", trim(guardFraction)));
                }
            } else if (r.naturalShare() == null) {
                flagged.put(r.label(), why + "; natural-feature check not run");
            } else if (r.naturalShare() < naturalShare) {
                flagged.put(r.label(), why + String.format(Locale.ROOT, "; natural share %.0f%% < %.0f%%: not a "
                        + "natural feature", 100 * r.naturalShare(), 100 * naturalShare));
            } else if (r.l1() < guardFraction * median) {
                flagged.put(r.label(), why + String.format(Locale.ROOT, "; natural share %.0f%%, but L1 under %s "
                        + "of the median", 100 * r.naturalShare(), trim(guardFraction)));
            }
        }
        return flagged;
    }

    private static double medianL1(List<LabelResult> results) {
        double[] l1 = results.stream().filter(LabelResult::converged).mapToDouble(LabelResult::l1).toArray();
        return l1.length == 0 ? 0 : AnomalyIndex.median(l1);
    }

    /**
     * The labels the size tests pick, before the natural-feature check, ascending, each with the tests that picked
     * it: the labels whose trigger the check must see.
     */
    public Map<Integer, String> candidates(List<LabelResult> results) {
        List<LabelResult> converged = results.stream().filter(LabelResult::converged).toList();
        Map<Integer, String> flagged = new LinkedHashMap<>();
        if (converged.isEmpty()) {
            return flagged;
        }
        List<Double> l1 = converged.stream().map(LabelResult::l1).toList();
        double linearThreshold = thresholdFor(madThreshold, results.size());
        double logThreshold = thresholdFor(logMadThreshold, results.size());
        AnomalyIndex.Result linear = new AnomalyIndex(madThreshold > 0 ? linearThreshold : 1).apply(l1);
        AnomalyIndex.Result log = new AnomalyIndex(logMadThreshold > 0 ? logThreshold : 1).apply(logNorms(l1));
        double median = linear.median();
        List<LabelResult> ordered = new ArrayList<>(converged);
        ordered.sort((a, b) -> Integer.compare(a.label(), b.label()));
        for (LabelResult r : ordered) {
            int i = converged.indexOf(r);
            List<String> picked = new ArrayList<>();
            if (madThreshold > 0 && linear.flagged(i)) {
                picked.add(String.format(Locale.ROOT, "anomaly index %.2f > %s", linear.indices().get(i),
                        threshold(linearThreshold, madThreshold, results.size())));
            }
            if (logMadThreshold > 0 && log.flagged(i)) {
                picked.add(String.format(Locale.ROOT, "anomaly index on ln L1 %.2f > %s", log.indices().get(i),
                        threshold(logThreshold, logMadThreshold, results.size())));
            }
            if (smallFraction > 0 && r.l1() < smallFraction * median) {
                picked.add(String.format(Locale.ROOT, "L1 %.2f under %s of the median %.2f", r.l1(), trim(smallFraction),
                        median));
            }
            if (!picked.isEmpty()) {
                flagged.put(r.label(), String.join(", ", picked));
            }
        }
        return flagged;
    }

    private static String threshold(double used, double given, int labels) {
        return used == given ? trim(given) : String.format(Locale.ROOT, "%.2f (%s for %d labels)", used, trim(given),
                labels);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /**
     * The anomaly index of each norm on ln L1 ({@code null} stays {@code null}). A norm of 0 counts as 1e-6: its
     * logarithm would be minus infinity.
     */
    public static List<Double> logIndices(List<Double> l1Norms) {
        return new AnomalyIndex().apply(logNorms(l1Norms)).indices();
    }

    /**
     * ln L1, shifted so that every value is at least 0 (the outlier test takes no negative norms; the median, the
     * MAD and every index are the same after a shift).
     */
    private static List<Double> logNorms(List<Double> l1Norms) {
        double min = l1Norms.stream().filter(v -> v != null).mapToDouble(v -> Math.log(Math.max(v, 1e-6)))
                .min().orElse(0);
        List<Double> logs = new ArrayList<>(l1Norms.size());
        for (Double v : l1Norms) {
            logs.add(v == null ? null : Math.log(Math.max(v, 1e-6)) - min);
        }
        return logs;
    }
}
