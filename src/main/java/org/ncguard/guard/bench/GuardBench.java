package org.ncguard.guard.bench;

import io.micrometer.core.instrument.Counter;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.ncguard.NcguardException;
import org.ncguard.avro.InferenceRequest;
import org.ncguard.avro.Tensor;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.OrtScorer;
import org.ncguard.engine.ScorerOptions;
import org.ncguard.guard.GuardApp;
import org.ncguard.guard.GuardConfig;
import org.ncguard.guard.GuardTopics;
import org.ncguard.guard.Guarantee;
import org.ncguard.guard.TopicSetup;
import org.ncguard.guard.broker.EmbeddedBroker;
import org.ncguard.guard.score.ServedModels;
import org.ncguard.guard.serde.GuardSerdes;
import org.ncguard.profile.GuardProfile;
import org.ncguard.profile.InputSpec;
import org.ncguard.profile.LabelProfile;

/**
 * The guard's speed on this machine, beside bare ONNX Runtime scoring of the same inputs: for each guarantee, the
 * throughput of draining a backlog of requests, then the latency (producing a request to reading its routed record)
 * under a steady load at half that throughput. Everything runs in this JVM, the broker included, with the thread
 * counts it prints, after unmeasured rounds of the same runs until the JIT is quiet. Prints figures; asserts nothing.
 */
public final class GuardBench {

    private static final String MODEL_ID = "bench";

    private final Path model;
    private final GuardProfile profile;
    private final int requests;
    private final double latencySeconds;
    private final Map<String, String> settings;
    private final PrintStream out;

    /**
     * @param model          the served model
     * @param profile        its profile; null for one made up with {@value #NEURONS} neurons per label (the cost of
     *                       ncguard's default score)
     * @param requests       requests in each throughput run
     * @param latencySeconds length of each latency run
     * @param settings       Kafka Streams settings of the measured guard, over its own
     */
    public GuardBench(Path model, GuardProfile profile, int requests, double latencySeconds,
            Map<String, String> settings, PrintStream out) {
        this.model = model;
        this.profile = profile;
        this.requests = requests;
        this.latencySeconds = latencySeconds;
        this.settings = Map.copyOf(settings);
        this.out = out;
    }

    /** Neurons per label of the made-up profile. */
    static final int NEURONS = 100;

    /** Warm-up ends once the JIT compiles less than this share of a round's time, or after this many rounds. */
    private static final double QUIET_JIT = 0.10;
    private static final int MAX_WARM_UP_ROUNDS = 5;

    /**
     * Seconds of steady load each latency run starts with, not measured: a guard just started spends them on its first
     * fetches and its producer's first metadata lookups, which a running guard has behind it.
     */
    private static final double SETTLE_SECONDS = 2;

    public void run() throws NcguardException, InterruptedException {
        OnnxModel m = OnnxModel.load(model);
        GuardProfile p = profile != null ? profile : madeUpProfile(m);
        InputSpec in = p.input();
        List<InferenceRequest> images = images(in, 256);
        double bare = bareRate(m, images, in);
        out.printf("%-62s %10.0f requests/s%n", "bare ONNX Runtime, batch 1, 1 thread (same images)", bare);
        GuardSerdes serdes = GuardSerdes.singleObject();
        try (EmbeddedBroker broker = EmbeddedBroker.start(0, null)) {
            warmUp(broker, p, images, serdes);
            out.printf("measured (each latency run after %.0f s of the same load, not counted):%n", SETTLE_SECONDS);
            round(broker, p, images, serdes, "", latencySeconds, bare);
        }
    }

    /**
     * Unmeasured rounds until the JIT is quiet: until it has compiled the guard's, the broker's and the clients' paths
     * (a minute or more of traffic on 2 cores), C2 takes most of a core and the figures measure the JVM's start-up.
     */
    private void warmUp(EmbeddedBroker broker, GuardProfile p, List<InferenceRequest> images, GuardSerdes serdes)
            throws NcguardException, InterruptedException {
        for (int r = 1; r <= MAX_WARM_UP_ROUNDS; r++) {
            JitShare jit = JitShare.start();
            round(broker, p, images, serdes, "warm-up-" + r + "-", latencySeconds / 2, 0);
            double share = jit.sinceStart();
            out.printf("warm-up round %d (not measured): the JIT compiled %.0f%% of the time%n", r, 100 * share);
            if (JitShare.supported() && share < QUIET_JIT) {
                return;
            }
        }
    }

    /**
     * Each guarantee's backlog drain, then its latency at half that rate for {@code seconds}; printed beside the bare
     * ONNX Runtime rate {@code bare}, or not at all when it is 0 (a warm-up round).
     */
    private void round(EmbeddedBroker broker, GuardProfile p, List<InferenceRequest> images, GuardSerdes serdes,
            String prefix, double seconds, double bare) throws NcguardException, InterruptedException {
        boolean measured = bare > 0;
        for (Guarantee g : Guarantee.values()) {
            String name = g.name().toLowerCase().replace('_', '-');
            double max = throughput(broker, g, p, images, serdes, prefix + name + "-flood", requests);
            JitShare jit = JitShare.start();
            Latencies l = latency(broker, g, p, images, serdes, prefix + name + "-steady", max / 2, seconds);
            if (measured) {
                out.printf("%-62s %10.0f requests/s = %.2f of bare ORT%n", "guard " + name
                        + ", backlog drained (1 stream thread, 1 ORT thread)", max, max / bare);
                out.printf("%-62s %10.1f ms p50, %.1f ms p99 (%d requests; JIT %.0f%% of the time)%n", "guard "
                        + name + ", at " + Math.round(max / 2) + " requests/s", l.percentile(0.5),
                        l.percentile(0.99), l.sortedMillis().length, 100 * jit.sinceStart());
            }
        }
    }

    private double throughput(EmbeddedBroker broker, Guarantee g, GuardProfile p, List<InferenceRequest> images,
            GuardSerdes serdes, String run, int requests) throws NcguardException, InterruptedException {
        GuardConfig config = config(broker, g, run);
        // The backlog is written before the guard starts, so the guard, not the producer, sets the pace.
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        TopicSetup.ensure(admin, config.topics());
        PacedSender sender = new PacedSender(broker.bootstrap(), Map.of(), config.topics().requests(), requests,
                values(images, config.topics().requests(), serdes), 0);
        sender.start();
        sender.join();
        try (GuardApp guard = GuardApp.start(config, ServedModels.load(Map.of(MODEL_ID, model), 1), List.of(p))) {
            // Timed by the guard's own request counter, not by a consumer of its output: on a machine this small a
            // reader polling beside the guard takes the CPU the guard is being measured on.
            Counter processed = guard.engine().metrics().requests(MODEL_ID);
            long end = System.nanoTime() + Duration.ofSeconds(300).toNanos();
            long firstNanos = 0;
            double firstCount = 0;
            while (processed.count() < requests && System.nanoTime() < end) {
                Thread.sleep(10);
                if (firstNanos == 0 && processed.count() > 0) {
                    firstNanos = System.nanoTime();
                    firstCount = processed.count();
                }
            }
            long lastNanos = System.nanoTime();
            double rate = (processed.count() - firstCount) / ((lastNanos - firstNanos) / 1e9);
            try (RoutedRecords routed = new RoutedRecords(broker.bootstrap(), config.topics().clean(),
                    config.topics().quarantine(), requests)) {
                drain(routed, requests, Duration.ofSeconds(60));
                if (routed.routed() < requests || routed.duplicates() > 0) {
                    throw new NcguardException("the " + run + " run routed " + routed.routed() + " of " + requests
                            + " requests with " + routed.duplicates() + " duplicates: its figure would be wrong");
                }
            }
            return firstNanos == 0 ? 0 : rate;
        }
    }

    private Latencies latency(EmbeddedBroker broker, Guarantee g, GuardProfile p, List<InferenceRequest> images,
            GuardSerdes serdes, String run, double rate, double seconds) throws NcguardException, InterruptedException {
        GuardConfig config = config(broker, g, run);
        int settle = (int) (rate * SETTLE_SECONDS);
        int n = settle + Math.max(10, (int) (rate * seconds));
        try (GuardApp guard = GuardApp.start(config, ServedModels.load(Map.of(MODEL_ID, model), 1), List.of(p));
                RoutedRecords routed = new RoutedRecords(broker.bootstrap(), config.topics().clean(),
                        config.topics().quarantine(), n)) {
            guard.awaitRunning(Duration.ofSeconds(60));
            // Warm the consumer's assignment up before the clock starts.
            routed.poll(Duration.ofMillis(500));
            PacedSender sender = new PacedSender(broker.bootstrap(), Map.of(), config.topics().requests(), n,
                    values(images, config.topics().requests(), serdes), rate);
            sender.start();
            drain(routed, n, Duration.ofSeconds((long) seconds + 60));
            sender.join();
            return Latencies.of(sender, routed, settle, n);
        }
    }

    private static void drain(RoutedRecords routed, int n, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (routed.routed() < n && System.nanoTime() < end) {
            routed.poll(Duration.ofMillis(50));
        }
    }

    private GuardConfig config(EmbeddedBroker broker, Guarantee g, String run) {
        return GuardConfig.defaults(broker.bootstrap()).withGuarantee(g)
                .withTopics(GuardTopics.forRequests("bench." + run)).withApplicationId("ncguard-bench-" + run)
                .withKafka(settings);
    }

    /** Request {@code i}: one of {@code images}, serialized when it is sent. */
    private static IntFunction<byte[]> values(List<InferenceRequest> images, String topic, GuardSerdes serdes) {
        var serializer = serdes.requests().serializer();
        return i -> serializer.serialize(topic, new InferenceRequest(PacedSender.key(i), MODEL_ID, Instant.now(),
                images.get(i % images.size()).getTensor(), null, Map.of()));
    }

    /** Random 8-bit images of the model's input size, as [H, W, C] tensors. */
    private static List<InferenceRequest> images(InputSpec in, int count) {
        SplittableRandom random = new SplittableRandom(1);
        List<InferenceRequest> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] pixels = new byte[in.size()];
            random.nextBytes(pixels);
            list.add(new InferenceRequest("img-" + i, MODEL_ID, Instant.EPOCH, new Tensor("UINT8",
                    List.of((long) in.height(), (long) in.width(), (long) in.channels()), ByteBuffer.wrap(pixels)),
                    null, Map.of()));
        }
        return list;
    }

    /** Bare ONNX Runtime, batch 1, one thread, on the same images preprocessed the profile's way. */
    private static double bareRate(OnnxModel m, List<InferenceRequest> images, InputSpec in) {
        List<float[]> inputs = new ArrayList<>();
        for (InferenceRequest r : images) {
            inputs.add(modelInput(r.getTensor().getData().duplicate(), in));
        }
        try (OrtScorer scorer = new OrtScorer(m, new ScorerOptions(1))) {
            for (int i = 0; i < 500; i++) {
                scorer.score(inputs.get(i % inputs.size()), 1);
            }
            long start = System.nanoTime();
            long end = start + 3_000_000_000L;
            int count = 0;
            while (System.nanoTime() < end) {
                scorer.score(inputs.get(count % inputs.size()), 1);
                count++;
            }
            return count / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** HWC bytes to the model's input: {@code (pixel * scale - mean[c]) / std[c]} in the model's layout. */
    private static float[] modelInput(ByteBuffer hwc, InputSpec in) {
        int c = in.channels();
        int h = in.height();
        int w = in.width();
        float[] mean = in.mean();
        float[] std = in.std();
        float[] x = new float[in.size()];
        boolean nchw = in.layout().equals("NCHW");
        for (int y = 0; y < h; y++) {
            for (int col = 0; col < w; col++) {
                for (int ch = 0; ch < c; ch++) {
                    float v = ((hwc.get() & 0xFF) * in.scale() - mean[ch]) / std[ch];
                    x[nchw ? (ch * h + y) * w + col : (y * w + col) * c + ch] = v;
                }
            }
        }
        return x;
    }

    /** A profile that scores every request on {@value #NEURONS} neurons per label and lets everything pass. */
    static GuardProfile madeUpProfile(OnnxModel m) {
        int size = m.penultimate().size();
        int k = Math.min(NEURONS, size);
        int[] neurons = new int[k];
        float[] ones = new float[k];
        for (int i = 0; i < k; i++) {
            neurons[i] = i * size / k;
            ones[i] = 1;
        }
        LabelProfile label = new LabelProfile(0, neurons, ones, new float[k], ones.clone(), Double.MAX_VALUE,
                ones.clone(), 0, 1, new org.ncguard.profile.Roc(new org.ncguard.profile.RocCurve(0.5, List.of()),
                        null));
        var shape = m.input().shape();
        float[] zeros = new float[shape.channels()];
        float[] unit = new float[shape.channels()];
        java.util.Arrays.fill(unit, 1);
        return new GuardProfile(GuardProfile.FORMAT_VERSION, "bench", Instant.EPOCH.toString(), m.sha256(),
                m.labels(), new org.ncguard.profile.PenultimateLayer(m.penultimate().tensor(), size),
                new InputSpec(m.input().name(), shape.layout().name(), shape.channels(), shape.height(), shape.width(),
                        1f / 255f, zeros, unit), 0.05, "ncguard", List.of(label), null, Map.of(), null);
    }
}
