package org.ncguard.demo;

/**
 * What the demo measured; the JSON object it prints last has exactly these fields.
 *
 * @param requests         sent
 * @param clean            sent without the trigger
 * @param triggered        sent with the real trigger
 * @param caughtTriggered  triggered requests the guard quarantined (drop mode) or flagged (flag mode)
 * @param falsePositives   clean requests it quarantined or flagged
 * @param lost             requests that never came out of the guard
 * @param duplicates       extra copies of requests that came out more than once
 * @param throughputPerSec requests routed per second, from the first send to the last arrival
 * @param p50LatencyMs     median time from producing a request to reading its routed record
 * @param p99LatencyMs     99th percentile of that time
 */
public record DemoReport(int requests, int clean, int triggered, int caughtTriggered, int falsePositives, int lost,
                         int duplicates, double throughputPerSec, double p50LatencyMs, double p99LatencyMs) {

    /** Share of triggered requests caught. */
    public double catchRate() {
        return triggered == 0 ? 1 : caughtTriggered / (double) triggered;
    }

    /** Share of clean requests stopped or flagged. */
    public double falsePositiveRate() {
        return clean == 0 ? 0 : falsePositives / (double) clean;
    }
}
