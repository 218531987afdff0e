package org.ncguard.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.ncguard.NcguardException;
import org.ncguard.guard.GuardTopics;
import org.ncguard.guard.replay.ReplayConfig;
import org.ncguard.guard.replay.ReplayRange;
import org.ncguard.guard.replay.ReplaySummary;
import org.ncguard.guard.replay.ReplayTime;
import org.ncguard.guard.replay.Replayer;
import org.ncguard.guard.score.ServedModels;
import org.ncguard.guard.serde.GuardSerdes;
import org.ncguard.profile.GuardProfile;
import org.ncguard.profile.ProfileJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ncguard replay}: retained requests of a time range re-scored against a profile. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Re-score the retained requests of a time range against a (new) profile, in a consumer group "
                + "of its own, never touching the live guard's offsets or topics: verdicts (replay: true) to --out, "
                + "alerts for requests that would have been flagged to --alerts, a summary on stdout and in "
                + "--summary. A second run with the same --out resumes where the first stopped.")
final class ReplayCommand implements Callable<Integer> {

    @Option(names = "--from", required = true, paramLabel = "TIME",
            description = "Start of the range, inclusive: ISO-8601 instant (2026-11-29T10:00:00Z) or epoch millis.")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "End of the range, exclusive (default: now).")
    String to;

    @Option(names = "--profile", required = true, paramLabel = "P.json", description = "The guard profile to score "
            + "against.")
    Path profile;

    @Option(names = "--model", paramLabel = "ID=M.onnx",
            description = "The model the profile was made for: the id requests name, and its ONNX file. Required; "
                    + "repeatable.")
    List<String> models = new ArrayList<>();

    @Option(names = "--requests", defaultValue = GuardTopics.DEFAULT_REQUESTS, paramLabel = "TOPIC",
            description = "Retained requests topic (default: ${DEFAULT-VALUE}).")
    String requests;

    @Option(names = "--out", defaultValue = ReplayConfig.DEFAULT_OUT, paramLabel = "TOPIC",
            description = "Verdicts topic of the replay (default: ${DEFAULT-VALUE}); its progress is kept in the "
                    + "group ncguard-replay-<out>.")
    String out;

    @Option(names = "--alerts", paramLabel = "TOPIC", description = "Alerts topic of the replay (default: <out>.alerts).")
    String alerts;

    @Option(names = "--summary", defaultValue = "replay-summary.json", paramLabel = "FILE",
            description = "JSON summary (default: ${DEFAULT-VALUE}).")
    Path summary;

    @Option(names = "--restart", description = "Ignore the progress kept for --out and replay the whole range again.")
    boolean restart;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "ONNX Runtime threads (default: ${DEFAULT-VALUE}).")
    int threads;


    @Override
    public Integer call() throws Exception {
        if (models.isEmpty()) {
            throw new NcguardException("replay needs the model the profile was made for: give --model ID=M.onnx "
                    + "(ID as requests name it), even for activations-only traffic");
        }
        if (threads < 1) {
            throw new NcguardException("--threads must be >= 1, found " + threads);
        }
        ReplayConfig cfg;
        try {
            ReplayRange range = new ReplayRange(ReplayTime.parse("--from", from),
                    to == null ? Instant.now() : ReplayTime.parse("--to", to));
            cfg = new ReplayConfig(kafka.bootstrap, requests, out, alerts == null ? out + ".alerts" : alerts, range,
                    kafka.settings(), restart);
        } catch (IllegalArgumentException e) {
            throw new NcguardException(e.getMessage());
        }
        GuardProfile p = ProfileJson.read(profile);
        GuardSerdes serdes = kafka.serdes(cfg.kafka());
        CountDownLatch finished = new CountDownLatch(1);
        try (ServedModels served = ServedModels.load(ServeCommand.parseModels(models), threads)) {
            Replayer replayer = new Replayer(cfg, served, p, serdes, System.err);
            // Ctrl-C: the replay commits what it wrote and stops; the summary still goes out.
            Thread hook = new Thread(() -> {
                replayer.stop();
                try {
                    finished.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "ncguard-replay-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                ReplaySummary s = replayer.run();
                s.write(summary);
                System.out.print(s.text());
                if (s.requestsRead() == 0 && s.resumed() && s.complete()) {
                    System.out.println("nothing new: an earlier replay into " + cfg.out() + " covered this range "
                            + "(--restart replays it again)");
                }
                System.out.println("summary: " + summary);
                System.out.flush();
                if (s.requestsRead() > 0 && s.scored() == 0) {
                    throw new NcguardException("none of the " + s.requestsRead() + " requests read could be scored "
                            + s.unreadableByReason() + ", e.g. " + s.unreadableExamples().get(0) + "; fix --model "
                            + "(ID as requests name it) or --requests and run again with --restart");
                }
            } finally {
                finished.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is exiting: the hook is what stopped us
                }
            }
        }
        return 0;
    }
}
