package org.ncguard.experiment;

import java.util.List;
import java.util.Locale;

/** Mean and spread over seeds, as the tables print them. */
final class Stats {

    private Stats() {
    }

    static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** Sample standard deviation; 0 for one value. */
    static double spread(List<Double> values) {
        if (values.size() < 2) {
            return 0;
        }
        double m = mean(values);
        double ss = values.stream().mapToDouble(v -> (v - m) * (v - m)).sum();
        return Math.sqrt(ss / (values.size() - 1));
    }

    /** {@code mean ± sd} with {@code digits} decimals, or the value alone for one seed; "-" for none. */
    static String meanSpread(List<Double> values, int digits) {
        if (values.isEmpty()) {
            return "-";
        }
        String f = "%." + digits + "f";
        return values.size() == 1 ? String.format(Locale.ROOT, f, values.get(0))
                : String.format(Locale.ROOT, f + " ± " + f, mean(values), spread(values));
    }

    /** A share as a percentage, {@code mean ± sd}. */
    static String percent(List<Double> shares) {
        return meanSpread(shares.stream().map(v -> 100 * v).toList(), 1) + (shares.isEmpty() ? "" : "%");
    }
}
