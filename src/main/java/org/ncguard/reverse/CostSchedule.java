package org.ncguard.reverse;

/**
 * The weight of the mask's L1 norm in the loss, adjusted after every step as the original Neural Cleanse code
 * does, and the early-stop and best-mask bookkeeping that goes with it.
 *
 * <p>Cost starts at 0. After {@code patience} consecutive steps with attack success at or above the threshold it
 * is set to the initial cost; from then on, {@code patience} steps at or above multiply it by 2 and
 * {@code patience} steps below divide it by 2^1.5. The best mask is the smallest L1 among steps that reach the
 * threshold. Once the cost has gone both up and down (since it was set), the search stops when the best L1 has
 * not improved for {@code earlyStopPatience} steps.
 */
public final class CostSchedule {

    /** The schedule's settings; {@link #defaults()} are the original code's. */
    public record Settings(double initialCost, double successThreshold, int patience, double multiplierUp,
            double multiplierDown, int earlyStopPatience) {

        public static Settings defaults() {
            return new Settings(1e-3, 0.99, 5, 2.0, Math.pow(2.0, 1.5), 25);
        }
    }

    private final Settings settings;
    private double cost;
    private int setCounter;
    private int upCounter;
    private int downCounter;
    private boolean wentUp;
    private boolean wentDown;
    private double bestL1 = Double.POSITIVE_INFINITY;
    private int stepsWithoutImprovement;
    private double earlyStopBest = Double.POSITIVE_INFINITY;
    private boolean stop;
    private int steps;

    public CostSchedule(Settings settings) {
        this.settings = settings;
    }

    public double cost() {
        return cost;
    }

    /** Smallest L1 seen at or above the success threshold, or infinity when none has reached it yet. */
    public double bestL1() {
        return bestL1;
    }

    public boolean converged() {
        return bestL1 < Double.POSITIVE_INFINITY;
    }

    public int steps() {
        return steps;
    }

    /**
     * Records one finished step and adjusts the cost, in the original code's order: best mask, early-stop counter,
     * setting the cost, then raising or lowering it.
     *
     * @return true if this step's mask is the new best (the caller keeps a copy of it)
     */
    public boolean update(double attackSuccess, double l1) {
        steps++;
        boolean reached = attackSuccess >= settings.successThreshold();
        boolean best = reached && l1 < bestL1;
        if (best) {
            bestL1 = l1;
        }
        if (bestL1 < Double.POSITIVE_INFINITY) {
            stepsWithoutImprovement = bestL1 >= earlyStopBest ? stepsWithoutImprovement + 1 : 0;
        }
        earlyStopBest = Math.min(earlyStopBest, bestL1);
        // The original decides to stop here, before this step's cost change can set a flag.
        stop = wentUp && wentDown && stepsWithoutImprovement >= settings.earlyStopPatience();

        if (cost == 0 && reached) {
            setCounter++;
            if (setCounter >= settings.patience()) {
                cost = settings.initialCost();
                upCounter = 0;
                downCounter = 0;
                wentUp = false;
                wentDown = false;
            }
        } else {
            setCounter = 0;
        }
        if (reached) {
            upCounter++;
            downCounter = 0;
        } else {
            upCounter = 0;
            downCounter++;
        }
        if (upCounter >= settings.patience()) {
            upCounter = 0;
            cost *= settings.multiplierUp();
            wentUp = true;
        } else if (downCounter >= settings.patience()) {
            downCounter = 0;
            cost /= settings.multiplierDown();
            wentDown = true;
        }
        return best;
    }

    /** True once the cost has gone both up and down and the best L1 has not improved for the patience. */
    public boolean shouldStop() {
        return stop;
    }
}
