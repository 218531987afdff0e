package org.ncguard.guard;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.ncguard.avro.InferenceRequest;
import org.ncguard.avro.Tensor;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.OrtScorer;
import org.ncguard.engine.ScorerOptions;
import org.ncguard.guard.broker.EmbeddedBroker;
import org.ncguard.guard.score.ModelRunner;
import org.ncguard.guard.score.PixelTable;
import org.ncguard.guard.score.ScoringWorker;
import org.ncguard.guard.score.ServedModels;
import org.ncguard.guard.serde.GuardSerdes;
import org.ncguard.profile.GuardProfile;
import org.ncguard.profile.InputSpec;
import org.ncguard.profile.LabelProfile;
import org.ncguard.profile.PenultimateLayer;
import org.ncguard.profile.Roc;
import org.ncguard.profile.RocCurve;
import org.ncguard.testing.ModelFixtures;
import org.ncguard.testing.TopicReader;

/**
 * Guard throughput against bare ONNX Runtime batch-1 scoring, on the paper's MNIST-shaped net (28x28, 512 penultimate
 * features) and an in-process broker. Not a test: run its main with the test class path.
 */
public final class GuardBenchmark {

    private GuardBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 30000;
        Path dir = Files.createTempDirectory("guard-bench");
        Path modelFile = ModelFixtures.mnist(dir, 13);
        OnnxModel model = OnnxModel.load(modelFile);
        SplittableRandom random = new SplittableRandom(1);
        byte[][] images = new byte[64][28 * 28];
        for (byte[] img : images) {
            random.nextBytes(img);
        }

        double bare;
        try (OrtScorer scorer = new OrtScorer(model, new ScorerOptions(1))) {
            float[] pixels = new float[28 * 28];
            bare = rate(() -> scorer.score(pixels, 1), 3);
        }
        double worker;
        try (ModelRunner runner = new ModelRunner("mnist", model, 1); ScoringWorker w = runner.newWorker()) {
            PixelTable table = PixelTable.unitRange(1);
            int[] i = {0};
            worker = rate(() -> w.score(tensor(images[i[0]++ & 63]), table), 3);
        }
        System.out.printf("bare ORT batch 1 (OrtScorer), 1 thread: %.0f/s%n", bare);
        System.out.printf("guard scoring worker (decode excluded), 1 thread: %.0f/s%n", worker);

        GuardSerdes serdes = GuardSerdes.singleObject();
        try (EmbeddedBroker broker = EmbeddedBroker.start(0, null)) {
            // Each guarantee twice, alternating: the first run also warms the JIT up.
            for (int round = 0; round < 4; round++) {
                Guarantee g = Guarantee.values()[round % 2];
                String topic = "bench-" + round + "-" + g.name().toLowerCase();
                Properties admin = new Properties();
                admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
                try (Admin a = Admin.create(admin)) {
                    a.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty()))).all()
                            .get(30, TimeUnit.SECONDS);
                }
                Properties p = new Properties();
                p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
                p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
                try (KafkaProducer<String, byte[]> out = new KafkaProducer<>(p, new StringSerializer(),
                        new ByteArraySerializer())) {
                    for (int i = 0; i < n; i++) {
                        InferenceRequest r = new InferenceRequest("r" + i, "mnist", Instant.now(),
                                tensor(images[i & 63]), null, Map.of());
                        out.send(new ProducerRecord<>(topic, "r" + i, serdes.requests().serializer()
                                .serialize(topic, r)));
                    }
                }
                GuardConfig cfg = GuardConfig.defaults(broker.bootstrap()).withGuarantee(g)
                        .withTopics(GuardTopics.forRequests(topic)).withApplicationId("bench-" + round);
                ServedModels models = ServedModels.of(List.of(new ModelRunner("mnist", model, 1)));
                try (GuardApp guard = GuardApp.start(cfg, models, List.of(profile(model)));
                        TopicReader reader = new TopicReader(broker.bootstrap(), List.of(cfg.topics().clean(),
                                cfg.topics().quarantine()))) {
                    if (!guard.awaitRunning(Duration.ofSeconds(60))) {
                        throw new IllegalStateException("the guard did not start: " + guard.state());
                    }
                    reader.until(l -> !l.isEmpty(), Duration.ofSeconds(120));
                    long t0 = System.nanoTime();
                    int first = reader.settle(Duration.ZERO).size();
                    int last = reader.until(l -> l.size() >= n, Duration.ofSeconds(300)).size();
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    double guardRate = (last - first) / seconds;
                    System.out.printf("guard end to end (%s, 1 stream thread, 1 ORT thread, broker in the same JVM): "
                            + "%d requests, %.0f/s = %.2f of bare ORT batch 1%n", g, last, guardRate,
                            guardRate / bare);
                }
            }
        }
    }

    private static Tensor tensor(byte[] img) {
        return new Tensor("UINT8", List.of(28L, 28L, 1L), ByteBuffer.wrap(img));
    }

    private static GuardProfile profile(OnnxModel m) {
        int[] neurons = new int[10];
        float[] ones = new float[10];
        for (int i = 0; i < 10; i++) {
            neurons[i] = i * 7;
            ones[i] = 1;
        }
        LabelProfile l = new LabelProfile(3, neurons, ones, new float[10], ones.clone(), 5.0, ones.clone(), 0, 1,
                new Roc(new RocCurve(0.9, List.of()), null));
        return new GuardProfile(1, "bench", "2026-01-01T00:00:00Z", m.sha256(), m.labels(),
                new PenultimateLayer(m.penultimate().tensor(), m.penultimate().size()),
                new InputSpec(m.input().name(), "NCHW", 1, 28, 28, 1f / 255f, new float[] {0}, new float[] {1}),
                0.05, "ncguard", List.of(l), null, Map.of());
    }

    private static double rate(Runnable r, double seconds) {
        for (int i = 0; i < 200; i++) {
            r.run();
        }
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long t0 = System.nanoTime();
        int count = 0;
        while (System.nanoTime() < end) {
            r.run();
            count++;
        }
        return count / ((System.nanoTime() - t0) / 1e9);
    }
}
