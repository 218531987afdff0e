package org.ncguard.mitigate.patch;

import java.util.ArrayList;
import java.util.List;
import org.ncguard.NcguardException;
import org.ncguard.engine.OnnxModel;
import org.ncguard.onnx.Onnx.ModelProto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The paper's neuron pruning: zero a layer's units in order of how much the reversed triggers excite them, a step at
 * a time, measuring clean accuracy and attack success after each step; stop when the attack no longer works or the
 * accuracy budget is spent, and keep the best model within the budget.
 */
public final class Pruner {

    private static final Logger log = LoggerFactory.getLogger(Pruner.class);

    private final PruneSettings settings;

    public Pruner(PruneSettings settings) {
        this.settings = settings;
    }

    /**
     * The outcome of a run.
     *
     * @param curve  every step's figures
     * @param best   index into the curve of the kept model
     * @param model  the kept model
     * @param pruned the units zeroed in it, in pruning order
     * @param goalMet whether the kept model's attack success is under the target
     * @param why    one line on why pruning stopped
     */
    public record Result(PruningCurve curve, int best, ModelProto model, int[] pruned, boolean goalMet, String why) {

        public PruningCurve.Point kept() {
            return curve.points().get(best);
        }

        public PruningCurve.Point original() {
            return curve.points().get(0);
        }
    }

    /**
     * Prunes {@code model}'s {@code layer} in {@code ranking}'s order, measuring with {@code meter}; {@code before} is
     * the original's measurement, taken once for every layer tried.
     */
    public Result run(OnnxModel model, Measurement before, PrunableLayer layer, UnitRanking ranking, PatchMeter meter)
            throws NcguardException {
        int units = layer.units();
        List<PruningCurve.Point> points = new ArrayList<>();
        points.add(new PruningCurve.Point(0, 0, before));
        double floor = before.accuracy() - settings.maxAccuracyDrop();
        String why;
        if (before.worstAttackSuccess() < settings.targetSuccess()) {
            why = String.format("attack success is already %.2f%%, under %.2f%%: nothing pruned",
                    100 * before.worstAttackSuccess(), 100 * settings.targetSuccess());
        } else {
            why = "every unit of the layer is pruned";
            for (int k = settings.stepFor(units, 0); ; k = Math.min(units, k + settings.stepFor(units, k))) {
                ModelProto patched = layer.zeroed(model, ranking.top(k));
                Measurement m = meter.measure(OnnxModel.fromBytes(model.source(), patched.toByteArray()));
                points.add(new PruningCurve.Point(k, (double) k / units, m));
                log.info("pruned {} of {} {} units: accuracy {}, attack success {}{}", k, units, layer.kind().id(),
                        pct(m.accuracy()), pct(m.attackSuccess()),
                        m.realAttackSuccess() == null ? "" : ", real trigger " + pct(m.realAttackSuccess()));
                if (m.accuracy() < floor) {
                    why = String.format("the accuracy budget ran out at %d of %d units (accuracy %.2f%%, %.2f points "
                            + "below the original's %.2f%%, budget %.2f)", k, units, 100 * m.accuracy(),
                            100 * (before.accuracy() - m.accuracy()), 100 * before.accuracy(),
                            100 * settings.maxAccuracyDrop());
                    break;
                }
                if (m.worstAttackSuccess() < settings.targetSuccess()) {
                    why = String.format("attack success fell under %.2f%% at %d of %d units",
                            100 * settings.targetSuccess(), k, units);
                    break;
                }
                if (k == units) {
                    break;
                }
            }
        }
        int best = best(points, floor);
        boolean goal = points.get(best).measured().worstAttackSuccess() < settings.targetSuccess();
        int pruned = points.get(best).pruned();
        // Rebuilt rather than kept from the loop: one model in memory instead of one per step.
        ModelProto kept = pruned == 0 ? model.proto() : layer.zeroed(model, ranking.top(pruned));
        return new Result(new PruningCurve(layer.kind(), units, points), best, kept, ranking.top(pruned), goal, why);
    }

    /** Within the budget, the lowest worst-case attack success; ties go to fewer pruned units. */
    static int best(List<PruningCurve.Point> points, double floor) {
        int best = 0;
        for (int i = 1; i < points.size(); i++) {
            Measurement m = points.get(i).measured();
            if (m.accuracy() >= floor
                    && m.worstAttackSuccess() < points.get(best).measured().worstAttackSuccess()) {
                best = i;
            }
        }
        return best;
    }

    private static String pct(double share) {
        return String.format("%.2f%%", 100 * share);
    }
}
