package org.ncguard.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.ncguard.NcguardException;
import org.ncguard.avro.InferenceRequest;
import org.ncguard.guard.GuardApp;
import org.ncguard.guard.GuardConfig;
import org.ncguard.guard.ProfilePublisher;
import org.ncguard.guard.broker.EmbeddedBroker;
import org.ncguard.guard.serde.GuardSerdes;
import org.ncguard.engine.OnnxModel;
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
        DemoTraffic traffic = DemoTraffic.generate(settings.requests(), settings.triggeredShare(), MODEL_ID, 11);
        GuardSerdes serdes = GuardSerdes.singleObject();
        try (EmbeddedBroker broker = EmbeddedBroker.start(0, null)) {
            progress.println("broker: " + broker.bootstrap());
            GuardConfig config = GuardConfig.defaults(broker.bootstrap()).withMode(settings.mode())
                    .withGuarantee(settings.guarantee()).withApplicationId("ncguard-demo");
            try (GuardApp guard = GuardApp.start(config, Map.of(MODEL_ID, prepared.model()), List.of(),
                    settings.threads())) {
                if (!guard.awaitRunning(Duration.ofSeconds(60))) {
                    throw new NcguardException("the guard did not start within 60 s (state " + guard.state() + ")");
                }
                Properties producer = new Properties();
                producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
                ProfilePublisher.publish(producer, config.topics().profiles(), prepared.profile(), serdes);
                awaitProfile(guard, sha);
                progress.printf("guard running (%s, %s); profile %s published to %s and applied%n",
                        settings.mode().name().toLowerCase(), settings.guarantee().name().toLowerCase().replace('_', '-'),
                        prepared.profile().profileId(), config.topics().profiles());
                return send(traffic, broker.bootstrap(), config, serdes);
            }
        }
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
    private DemoReport send(DemoTraffic traffic, String bootstrap, GuardConfig config, GuardSerdes serdes)
            throws NcguardException, InterruptedException {
        int n = traffic.count();
        AtomicLongArray sentNanos = new AtomicLongArray(n);
        AtomicReference<Exception> failure = new AtomicReference<>();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        String topic = config.topics().requests();
        Thread sender = new Thread(() -> {
            var serializer = serdes.requests().serializer();
            try (KafkaProducer<String, byte[]> out = new KafkaProducer<>(p, new StringSerializer(),
                    new ByteArraySerializer())) {
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    long due = start + (long) (i * 1e9 / settings.rate());
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    InferenceRequest r = traffic.requests().get(i);
                    byte[] value = serializer.serialize(topic, r);
                    sentNanos.set(i, System.nanoTime());
                    out.send(new ProducerRecord<>(topic, r.getId(), value));
                }
                out.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failure.set(e);
            }
        }, "demo-traffic");

        try (RoutedRecords routed = new RoutedRecords(bootstrap, config.topics().clean(),
                config.topics().quarantine(), n)) {
            sender.start();
            long lastPrint = 0;
            long drainEnd = Long.MAX_VALUE;
            while (routed.routed() < n && System.nanoTime() < drainEnd) {
                routed.poll(Duration.ofMillis(50));
                if (!sender.isAlive() && drainEnd == Long.MAX_VALUE) {
                    drainEnd = System.nanoTime() + DRAIN.toNanos();
                }
                if (failure.get() != null) {
                    throw new NcguardException("sending requests failed: " + failure.get().getMessage(),
                            failure.get());
                }
                if (System.nanoTime() - lastPrint > 1_000_000_000L) {
                    lastPrint = System.nanoTime();
                    progress.printf("sent %d/%d, routed %d (quarantined %d)%n", sent(sentNanos), n, routed.routed(),
                            routed.quarantined());
                }
            }
            sender.join();
            // A last look for duplicates that a restart or a retry might have written after the first copy.
            routed.poll(Duration.ofMillis(500));
            if (routed.strangers() > 0) {
                log.warn("{} routed record(s) carried keys this demo did not send", routed.strangers());
            }
            return report(traffic, sentNanos, routed);
        }
    }

    private static int sent(AtomicLongArray sentNanos) {
        int count = 0;
        for (int i = 0; i < sentNanos.length(); i++) {
            if (sentNanos.get(i) != 0) {
                count++;
            }
        }
        return count;
    }

    private static DemoReport report(DemoTraffic traffic, AtomicLongArray sentNanos, RoutedRecords routed) {
        int n = traffic.count();
        int triggered = traffic.triggeredCount();
        int caught = 0;
        int falsePositives = 0;
        int lost = 0;
        double[] latencies = new double[n];
        int arrived = 0;
        long firstSent = Long.MAX_VALUE;
        long lastArrived = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            firstSent = Math.min(firstSent, sentNanos.get(i));
            if (!routed.arrived(i)) {
                lost++;
                continue;
            }
            lastArrived = Math.max(lastArrived, routed.arrivedNanos(i));
            latencies[arrived++] = (routed.arrivedNanos(i) - sentNanos.get(i)) / 1e6;
            if (routed.caught(i)) {
                if (traffic.triggered()[i]) {
                    caught++;
                } else {
                    falsePositives++;
                }
            }
        }
        double[] sorted = Arrays.copyOf(latencies, arrived);
        Arrays.sort(sorted);
        double seconds = arrived == 0 ? 0 : (lastArrived - firstSent) / 1e9;
        return new DemoReport(n, n - triggered, triggered, caught, falsePositives, lost, routed.duplicates(),
                seconds > 0 ? arrived / seconds : 0, percentile(sorted, 0.50), percentile(sorted, 0.99));
    }

    /** The value at rank {@code ceil(q * n)} of ascending values; 0 for none. */
    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }
}
