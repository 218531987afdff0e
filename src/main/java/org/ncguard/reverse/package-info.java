/**
 * Neural Cleanse: trigger reverse-engineering, anomaly index, scan report.
 *
 * <p>For every label the optimiser looks for the smallest trigger (a mask and a pattern) that sends any clean
 * input to that label, and records it as a {@link org.ncguard.reverse.LabelResult} and a
 * {@link org.ncguard.reverse.ReversedTrigger}. {@link org.ncguard.reverse.AnomalyIndex} then asks whether one
 * label's trigger is anomalously small (the MAD outlier test of Wang et al., IEEE S&amp;P 2019),
 * {@code NaturalFeatureCheck} whether an outlier's trigger is merely a natural feature of its label, and
 * {@link org.ncguard.reverse.ScanReport} carries the verdict with its provenance. What a scan leaves on disk is
 * named by {@link org.ncguard.reverse.ScanFiles}: {@code scan.json}, one trigger file and three PNGs per label,
 * and a self-contained {@code report.html} for people.
 */
package org.ncguard.reverse;
