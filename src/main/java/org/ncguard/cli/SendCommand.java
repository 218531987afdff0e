package org.ncguard.cli;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.ncguard.NcguardException;
import org.ncguard.avro.InferenceRequest;
import org.ncguard.avro.Tensor;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.OnnxModel;
import org.ncguard.guard.ClientSettings;
import org.ncguard.guard.GuardTopics;
import org.ncguard.guard.bench.PacedSender;
import org.ncguard.guard.serde.GuardSerdes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ncguard send}: paced requests of random images, to try a running guard (docker-compose's traffic). */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = "Send requests of random 8-bit images of the model's input size to a requests topic, at a "
                + "steady rate: traffic for trying a running guard.")
final class SendCommand implements Callable<Integer> {

    @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT", description = "Kafka brokers.")
    String bootstrap;

    @Option(names = "--model", required = true, paramLabel = "ID=M.onnx",
            description = "The model the requests name (ID) and whose input size they have.")
    String model;

    @Option(names = "--requests", defaultValue = GuardTopics.DEFAULT_REQUESTS, paramLabel = "TOPIC",
            description = "Requests topic (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--count", defaultValue = "100", paramLabel = "N",
            description = "Requests to send (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--rate", defaultValue = "10", paramLabel = "R",
            description = "Requests per second; 0 for as fast as possible (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S",
            description = "Seed of the images (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--registry-url", paramLabel = "URL",
            description = "Apicurio Registry v3 API, when the guard runs with --registry-url.")
    String registryUrl;

    @Mixin
    KafkaConfigOption kafkaConfig;

    @Override
    public Integer call() throws Exception {
        if (count < 1 || rate < 0) {
            throw new NcguardException("--count must be at least 1 and --rate at least 0, found " + count + " and "
                    + rate);
        }
        Map.Entry<String, Path> served = ServeCommand.parseModels(List.of(model)).entrySet().iterator().next();
        String id = served.getKey();
        ImageShape shape = OnnxModel.load(served.getValue()).input().shape();
        Map<String, String> settings = kafkaConfig.settings();
        GuardSerdes serdes = registryUrl == null ? GuardSerdes.singleObject()
                : GuardSerdes.registry(registryUrl, settings);
        SplittableRandom random = new SplittableRandom(seed);
        List<byte[]> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] hwc = new byte[shape.size()];
            random.nextBytes(hwc);
            Tensor tensor = new Tensor("UINT8", List.of((long) shape.height(), (long) shape.width(),
                    (long) shape.channels()), ByteBuffer.wrap(hwc));
            values.add(serdes.requests().serializer().serialize(topic, new InferenceRequest(PacedSender.key(i), id,
                    Instant.now(), tensor, null, Map.of())));
        }
        PacedSender sender = new PacedSender(bootstrap, settings, topic, values, rate);
        sender.start();
        sender.join();
        if (sender.failure() != null) {
            throw new NcguardException("sending to " + topic + " at " + bootstrap + " failed: "
                    + ClientSettings.explain(sender.failure()), sender.failure());
        }
        System.out.println("sent " + count + " requests for model " + id + " (" + shape + " random images) to "
                + topic);
        return 0;
    }
}
