package org.ncguard.mitigate;

import org.ncguard.profile.RocCurve;

/**
 * How one score form filters one label's trigger, measured on the held-out slice.
 *
 * @param label      the suspicious label
 * @param form       the score form
 * @param neurons    neurons it used
 * @param threshold  set on the calibration slice at the asked FPR
 * @param heldOutFpr share of held-out clean inputs above that threshold
 * @param reversed   ROC with the label's reversed trigger
 * @param real       ROC with the real trigger; null when unknown
 */
public record LabelFigures(int label, ScoreForm form, int neurons, double threshold, double heldOutFpr,
                           RocCurve reversed, RocCurve real) {}
