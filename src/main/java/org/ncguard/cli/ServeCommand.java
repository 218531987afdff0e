package org.ncguard.cli;

import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.ncguard.NcguardException;
import org.ncguard.guard.GuardApp;
import org.ncguard.guard.GuardConfig;
import org.ncguard.guard.GuardMode;
import org.ncguard.guard.GuardTopics;
import org.ncguard.guard.Guarantee;
import org.ncguard.guard.http.OpsServer;
import org.ncguard.profile.ProfileKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ncguard serve}: the streaming guard, until Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Guard a requests topic: score every request with ONNX Runtime against the model's profile and "
                + "route it to <requests>.clean or <requests>.quarantine, with verdicts, alerts and a dead-letter "
                + "topic. Runs until Ctrl-C.")
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "ID=M.onnx",
            description = "A served model: the id requests name, and its ONNX file. Repeatable.")
    List<String> models;

    @Option(names = "--profile", paramLabel = "P.json",
            description = "A guard profile file (ncguard profile); matched to a model by its modelSha256. Repeatable.")
    List<Path> profiles = new ArrayList<>();

    @Option(names = "--mode", defaultValue = "drop", paramLabel = "drop|flag",
            description = "drop: suspicious requests to <requests>.quarantine; flag: all to .clean, marked "
                    + "(default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--requests", defaultValue = GuardTopics.DEFAULT_REQUESTS, paramLabel = "TOPIC",
            description = "Requests topic (default: ${DEFAULT-VALUE}).")
    String requests;

    @Option(names = "--guarantee", defaultValue = "exactly-once", paramLabel = "exactly-once|at-least-once",
            description = "Processing guarantee (default: ${DEFAULT-VALUE}).")
    String guarantee;

    @Option(names = "--application-id", defaultValue = GuardConfig.DEFAULT_APPLICATION_ID, paramLabel = "ID",
            description = "Kafka Streams application id (default: ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(names = "--http-port", defaultValue = "8080", paramLabel = "PORT",
            description = "/health, /ready and /metrics (default: ${DEFAULT-VALUE}; 0: a free port).")
    int httpPort;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "ONNX Runtime threads per request (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--stream-threads", defaultValue = "1", paramLabel = "N",
            description = "Kafka Streams threads (default: ${DEFAULT-VALUE}).")
    int streamThreads;


    @Option(names = "--trust-key", paramLabel = "PUB",
            description = "Apply only profiles signed by this key (NAME.pub from 'ncguard keygen'), from files and "
                    + "from the topic; refuse unsigned, otherwise-signed or altered ones (alert, metric, the previous "
                    + "profile stays). Repeatable. Default: profiles are not verified.")
    List<Path> trustKeys = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        GuardConfig cfg;
        try {
            cfg = new GuardConfig(GuardTopics.forRequests(requests), GuardMode.parse(mode),
                    Guarantee.parse(guarantee), applicationId, kafka.bootstrap, streamThreads,
                    kafka.settings(), kafka.registryUrl, trustedKeys());
        } catch (IllegalArgumentException e) {
            throw new NcguardException(e.getMessage());
        }
        if (threads < 1) {
            throw new NcguardException("--threads must be >= 1, found " + threads);
        }
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        // Ctrl-C: the hook asks the command to stop and waits for the guard to close (commit, leave the group).
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ncguard-serve-stop");
        try (GuardApp guard = GuardApp.start(cfg, parseModels(models), profiles, threads);
                OpsServer http = OpsServer.start(httpPort, guard::alive, guard::ready, guard::scrape)) {
            Runtime.getRuntime().addShutdownHook(hook);
            System.out.println("guard: " + cfg.topics().requests() + " -> " + cfg.topics().clean() + " | "
                    + cfg.topics().quarantine() + " (" + cfg.mode().name().toLowerCase() + ", " + guarantee + ")");
            System.out.println("http: http://localhost:" + http.port() + "/metrics (also /health, /ready)");
            System.out.println("Ctrl-C stops");
            System.out.flush();
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // an embedding caller stops the guard by interrupting it
            }
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook is what stopped us
            }
        }
        return 0;
    }

    private List<PublicKey> trustedKeys() throws NcguardException {
        List<PublicKey> keys = new ArrayList<>();
        for (Path p : trustKeys) {
            keys.add(ProfileKeys.readPublic(p));
        }
        return keys;
    }

    static Map<String, Path> parseModels(List<String> specs) throws NcguardException {
        Map<String, Path> out = new LinkedHashMap<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw new NcguardException("--model takes ID=M.onnx (the id requests name, then the file), found '"
                        + spec + "'");
            }
            String id = spec.substring(0, eq);
            if (out.put(id, Path.of(spec.substring(eq + 1))) != null) {
                throw new NcguardException("model id '" + id + "' is given twice; give each model its own id");
            }
        }
        return out;
    }
}
