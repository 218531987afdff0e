package org.ncguard.demo;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.ncguard.NcguardException;
import org.ncguard.data.DataSources;
import org.ncguard.data.ImageSource;
import org.ncguard.data.TriggerSpec;
import org.ncguard.guard.GuardApp;
import org.ncguard.guard.GuardConfig;
import org.ncguard.guard.ProfilePublisher;
import org.ncguard.guard.bench.Latencies;
import org.ncguard.guard.bench.PacedSender;
import org.ncguard.guard.bench.RoutedRecords;
import org.ncguard.guard.bench.Traffic;
import org.ncguard.guard.broker.EmbeddedBroker;
import org.ncguard.guard.serde.GuardSerdes;
import org.ncguard.engine.OnnxModel;
import org.ncguard.profile.GuardProfile;
import org.ncguard.profile.ProfileKeys;
import org.ncguard.profile.ProfileSignatures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole product on one machine: the offline stage ({@link DemoModel}), an embedded broker, the profile published
 * to the profiles topic, the guard, and paced mixed traffic whose every request is accounted for ({@link
 * RoutedRecords}).
 */
public final class Demo {

    /** The model id requests name. */
    static final String MODEL_ID = "signs";

    private static final Logger log = LoggerFactory.getLogger(Demo.class);
    /** How long the demo waits for stragglers after the last request was sent. */
    private static final Duration DRAIN = Duration.ofSeconds(30);

    private final DemoSettings settings;
    private final PrintStream progress;

    public Demo(DemoSettings settings, PrintStream progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /** Prepares the model, scan and profile (or takes them from the cache), then runs the guard on traffic. */
    public DemoReport run() throws NcguardException, InterruptedException {
        return runGuard(DemoModel.prepare(settings.cache(), settings.threads()));
    }

    /** The online half, on a prepared model and profile. */
    DemoReport runGuard(DemoModel.Prepared prepared) throws NcguardException, InterruptedException {
        if (prepared.scan() != null) {
            progress.printf("model %s: scan verdict %s, flagged %s%n", prepared.model().getFileName(),
                    prepared.scan().verdict().name().toLowerCase(), prepared.scan().flagged());
        }
        progress.printf("profile %s guards label(s) %s%n", prepared.profile().profileId(),
                prepared.profile().labels().stream().map(l -> l.label()).toList());
        String sha = OnnxModel.load(prepared.model()).sha256();
        // The demo signs its profile and trusts only its own key, as a production guard should.
        KeyPair keys = demoKeys();
        GuardProfile signed = ProfileSignatures.sign(prepared.profile(), keys.getPrivate());
        Traffic traffic;
        try (ImageSource images = DataSources.open(DemoModel.TRAFFIC_DATA + "&n=" + settings.requests())) {
            traffic = Traffic.of(images, settings.requests(), TriggerSpec.parse(DemoModel.TRIGGER)
                    .build(images.shape()), DemoModel.TARGET, settings.triggeredShare(), MODEL_ID, 11);
        }
        GuardSerdes serdes = GuardSerdes.singleObject();
        try (EmbeddedBroker broker = EmbeddedBroker.start(0, null)) {
            progress.println("broker: " + broker.bootstrap());
            GuardConfig config = GuardConfig.defaults(broker.bootstrap()).withMode(settings.mode())
                    .withGuarantee(settings.guarantee()).withApplicationId("ncguard-demo")
                    .withTrustedKeys(List.of(keys.getPublic()));
            try (GuardApp guard = GuardApp.start(config, Map.of(MODEL_ID, prepared.model()), List.of(),
                    settings.threads())) {
                if (!guard.awaitRunning(Duration.ofSeconds(60))) {
                    throw new NcguardException("the guard did not start within 60 s (state " + guard.state() + ")");
                }
                Properties producer = new Properties();
                producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
                ProfilePublisher.publish(producer, config.topics().profiles(), signed, serdes);
                awaitProfile(guard, sha);
                progress.printf("guard running (%s, %s); profile %s signed, published to %s and applied%n",
                        settings.mode().name().toLowerCase(), settings.guarantee().name().toLowerCase().replace('_', '-'),
                        prepared.profile().profileId(), config.topics().profiles());
                return send(traffic, broker.bootstrap(), config, serdes);
            }
        }
    }

    /** The demo's signing key pair, kept in the cache beside the model (made on the first run). */
    private KeyPair demoKeys() throws NcguardException {
        Path name = settings.cache().resolve("demo-signing");
        if (Files.isRegularFile(ProfileKeys.privateFile(name)) && Files.isRegularFile(ProfileKeys.publicFile(name))) {
            return new KeyPair(ProfileKeys.readPublic(ProfileKeys.publicFile(name)),
                    ProfileKeys.readPrivate(ProfileKeys.privateFile(name)));
        }
        return ProfileKeys.writeNew(name);
    }

    private static void awaitProfile(GuardApp guard, String sha) throws NcguardException, InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (guard.engine().profiles().forModel(sha) == null) {
            if (System.nanoTime() > end) {
                throw new NcguardException("the guard did not apply the published profile within 60 s");
            }
            Thread.sleep(50);
        }
    }

    /** Sends the traffic at the set rate from a thread of its own, while this thread reads what comes out. */
    private DemoReport send(Traffic traffic, String bootstrap, GuardConfig config, GuardSerdes serdes)
            throws NcguardException, InterruptedException {
        int n = traffic.count();
        String topic = config.topics().requests();
        var serializer = serdes.requests().serializer();
        List<byte[]> values = traffic.requests().stream().map(r -> serializer.serialize(topic, r)).toList();
        PacedSender sender = new PacedSender(bootstrap, topic, values, settings.rate());
        try (RoutedRecords routed = new RoutedRecords(bootstrap, config.topics().clean(),
                config.topics().quarantine(), n)) {
            sender.start();
            long lastPrint = 0;
            long drainEnd = Long.MAX_VALUE;
            while (routed.routed() < n && System.nanoTime() < drainEnd) {
                routed.poll(Duration.ofMillis(50));
                if (!sender.sending() && drainEnd == Long.MAX_VALUE) {
                    drainEnd = System.nanoTime() + DRAIN.toNanos();
                }
                if (sender.failure() != null) {
                    throw new NcguardException("sending requests failed: " + sender.failure().getMessage(),
                            sender.failure());
                }
                if (System.nanoTime() - lastPrint > 1_000_000_000L) {
                    lastPrint = System.nanoTime();
                    progress.printf("sent %d/%d, routed %d (quarantined %d)%n", sender.sent(), n, routed.routed(),
                            routed.quarantined());
                }
            }
            sender.join();
            // A last look for duplicates that a restart or a retry might have written after the first copy.
            routed.poll(Duration.ofMillis(500));
            if (routed.strangers() > 0) {
                log.warn("{} routed record(s) carried keys this demo did not send", routed.strangers());
            }
            // The first second meets a JVM still compiling and a guard's first transactions: hundreds of ms on 2
            // cores. The report counts it; this line shows the guard as it runs after that.
            int firstSecond = Math.min(n - 1, settings.rate());
            Latencies after = Latencies.of(sender, routed, firstSecond, n);
            progress.printf("latency after the first second: p50 %.1f ms, p99 %.1f ms%n", after.percentile(0.5),
                    after.percentile(0.99));
            return report(traffic, Latencies.of(sender, routed, n), routed);
        }
    }

    private static DemoReport report(Traffic traffic, Latencies latencies, RoutedRecords routed) {
        int n = traffic.count();
        int triggered = traffic.triggeredCount();
        int caught = 0;
        int falsePositives = 0;
        int lost = 0;
        for (int i = 0; i < n; i++) {
            if (!routed.arrived(i)) {
                lost++;
            } else if (routed.caught(i)) {
                if (traffic.triggered()[i]) {
                    caught++;
                } else {
                    falsePositives++;
                }
            }
        }
        return new DemoReport(n, n - triggered, triggered, caught, falsePositives, lost, routed.duplicates(),
                latencies.throughput(), latencies.percentile(0.50), latencies.percentile(0.99));
    }
}
