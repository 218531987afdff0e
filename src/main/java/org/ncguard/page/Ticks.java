package org.ncguard.page;

/** Where a chart puts its axis ticks: round steps, and every k-th category when names would crowd. */
public final class Ticks {

    /** Axis labels are at least this far apart, in SVG units, and more for long numbers. */
    private static final double MIN_TICK_SPACING = 28;

    private Ticks() {
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    public static double niceStep(double raw) {
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * power >= raw * (1 - 1e-9)) {
                return m * power;
            }
        }
        return 10 * power;
    }

    /**
     * Name every k-th of {@code count} categories, k in 1, 2, 5, 10, 20, 50, ..., so that the numbers (up to {@code
     * count - 1}, at about 8 units per digit) keep a gap between them when each has {@code slot} units.
     */
    public static int tickEvery(double slot, int count) {
        int digits = Integer.toString(Math.max(0, count - 1)).length();
        double spacing = Math.max(MIN_TICK_SPACING, 8 * digits + 8);
        for (int power = 1; ; power *= 10) {
            for (int m : new int[] {1, 2, 5}) {
                if (slot * m * power >= spacing) {
                    return m * power;
                }
            }
        }
    }

    /** Decimals that show every multiple of {@code step} exactly. */
    public static int decimals(double step) {
        return step >= 1 ? 0 : (int) Math.ceil(-Math.log10(step) - 1e-9);
    }
}
