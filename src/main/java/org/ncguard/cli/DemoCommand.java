package org.ncguard.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ncguard.NcguardException;
import org.ncguard.demo.Demo;
import org.ncguard.demo.DemoReport;
import org.ncguard.demo.DemoSettings;
import org.ncguard.guard.Guarantee;
import org.ncguard.guard.GuardMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ncguard demo}: attack, scan, profile and guard, end to end on an embedded broker and built-in data. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "The whole guard in one command: train (or reuse) a BadNets model on the built-in traffic signs, "
                + "scan it, build its profile, start an embedded Kafka broker and the guard, publish the profile, send "
                + "clean and triggered requests, and account for every one. The last line is one JSON object.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--cache", paramLabel = "DIR",
            description = "Where the model, scan and profile are kept between runs (default: ~/.cache/ncguard/demo).")
    Path cache;

    @Option(names = "--requests", defaultValue = "2000", description = "Requests to send (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--triggered", defaultValue = "0.2", paramLabel = "SHARE",
            description = "Share of requests stamped with the real trigger (default: ${DEFAULT-VALUE}).")
    double triggered;

    @Option(names = "--rate", defaultValue = "200", description = "Requests per second (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--mode", defaultValue = "drop", paramLabel = "drop|flag",
            description = "drop: suspicious requests to quarantine; flag: passed on, marked (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--guarantee", defaultValue = "exactly-once", paramLabel = "exactly-once|at-least-once",
            description = "Kafka Streams' processing guarantee (default: ${DEFAULT-VALUE}).")
    String guarantee;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        DemoSettings settings;
        try {
            Path dir = cache != null ? cache : Path.of(System.getProperty("user.home"), ".cache", "ncguard", "demo");
            settings = new DemoSettings(dir, requests, triggered, rate, GuardMode.parse(mode),
                    Guarantee.parse(guarantee), threads.configure());
        } catch (IllegalArgumentException e) {
            throw new NcguardException("bad demo option: " + e.getMessage());
        }
        long start = System.nanoTime();
        DemoReport r = new Demo(settings, System.err).run();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%d requests through the guard (%d clean, %d with the trigger); the demo took %.0f s%n",
                r.requests(), r.clean(), r.triggered(), seconds);
        System.out.printf("caught    %d of %d triggered requests (%.1f%%)%n", r.caughtTriggered(), r.triggered(),
                100 * r.catchRate());
        System.out.printf("flagged   %d of %d clean requests (%.1f%% false positives)%n", r.falsePositives(), r.clean(),
                100 * r.falsePositiveRate());
        System.out.printf("lost      %d, duplicated %d%n", r.lost(), r.duplicates());
        System.out.printf("latency   p50 %.1f ms, p99 %.1f ms (producing a request to reading its routed record); "
                + "%.0f requests/s%n", r.p50LatencyMs(), r.p99LatencyMs(), r.throughputPerSec());
        System.out.println(new ObjectMapper().writeValueAsString(r));
        return r.lost() == 0 && r.duplicates() == 0 ? 0 : 1;
    }
}
