package org.ncguard.reverse;

/** The standard normal distribution's upper tail and its inverse, to the precision a threshold needs. */
final class NormalTail {

    private NormalTail() {
    }

    /** P(Z > z) for a standard normal Z. */
    static double above(double z) {
        return 0.5 * erfc(z / Math.sqrt(2));
    }

    /** The z with P(Z > z) = {@code p}, for p in (0, 1), by bisection on {@link #above}. */
    static double quantile(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("a tail probability must be in (0, 1), found " + p);
        }
        double lo = -40;
        double hi = 40;
        for (int i = 0; i < 200 && hi - lo > 1e-12; i++) {
            double mid = (lo + hi) / 2;
            if (above(mid) > p) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    /** The complementary error function (Numerical Recipes' Chebyshev fit, relative error under 1.2e-7). */
    private static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
