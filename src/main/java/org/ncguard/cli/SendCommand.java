package org.ncguard.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ncguard.NcguardException;
import org.ncguard.data.DataSources;
import org.ncguard.data.ImageSource;
import org.ncguard.data.NoiseSource;
import org.ncguard.data.TriggerSpec;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;
import org.ncguard.engine.OnnxModel;
import org.ncguard.guard.ClientSettings;
import org.ncguard.guard.GuardTopics;
import org.ncguard.guard.bench.PacedSender;
import org.ncguard.guard.bench.Traffic;
import org.ncguard.guard.serde.GuardSerdes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ncguard send}: paced requests of random or given images, a share stamped with a trigger, to try a running
 * guard (docker-compose's traffic).
 */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = "Send requests of 8-bit images of the model's input size (random, or from --data) to a requests "
                + "topic at a steady rate, a share stamped with --trigger: traffic for trying a running guard.")
final class SendCommand implements Callable<Integer> {

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

    @Option(names = "--data", paramLabel = "SPEC",
            description = "Images to send, in order: any data source scan takes (builtin:signs:test, an IDX images "
                    + "file, a folder of PNG/JPEG per label, ?n=COUNT ...), of the model's input size; default: "
                    + "random images.")
    String data;

    @Mixin
    RealTriggerOptions trigger;

    @Option(names = "--triggered", defaultValue = "0.2", paramLabel = "F",
            description = "With --trigger: the share of requests stamped with it; images of --target stay clean "
                    + "(default: ${DEFAULT-VALUE}).")
    double triggered;


    @Mixin
    KafkaOptions kafka;

    @Override
    public Integer call() throws Exception {
        if (count < 1 || rate < 0) {
            throw new NcguardException("--count must be at least 1 and --rate at least 0, found " + count + " and "
                    + rate);
        }
        Map.Entry<String, Path> served = ServeCommand.parseModels(List.of(model)).entrySet().iterator().next();
        String id = served.getKey();
        OnnxModel onnx = OnnxModel.load(served.getValue());
        ImageShape input = onnx.input().shape();
        // Images are read in canonical CHW order whatever the model's layout; the requests carry [H, W, C] bytes.
        ImageShape shape = new ImageShape(input.channels(), input.height(), input.width(), Layout.NCHW);
        Map<String, String> settings = kafka.settings();
        GuardSerdes serdes = kafka.serdes(settings);
        TriggerSpec spec = trigger.spec();
        trigger.requireTargetBelow(onnx.labels(), id);
        if (triggered < 0 || triggered > 1) {
            throw new NcguardException("--triggered is a share of the requests, between 0 and 1; found " + triggered);
        }
        Traffic traffic;
        try (ImageSource images = data == null ? new NoiseSource(shape, count, seed) : DataSources.open(data)) {
            if (!images.shape().equals(shape)) {
                throw new NcguardException("the images of " + data + " are " + images.shape() + ", model " + id
                        + " takes " + input + "; give images of the model's size and channels");
            }
            if (images.count() < count) {
                throw new NcguardException(data + " has " + images.count() + " images, fewer than --count " + count);
            }
            // Random images have no label, so none is the target's.
            traffic = Traffic.of(images, count, spec == null ? null : spec.build(shape),
                    data == null ? -1 : trigger.targetOrNone(), triggered, id, seed);
        }
        var serializer = serdes.requests().serializer();
        List<byte[]> values = traffic.requests().stream().map(r -> serializer.serialize(topic, r)).toList();
        PacedSender sender = new PacedSender(kafka.bootstrap, settings, topic, values, rate);
        sender.start();
        sender.join();
        if (sender.failure() != null) {
            throw new NcguardException("sending to " + topic + " at " + kafka.bootstrap + " failed: "
                    + ClientSettings.explain(sender.failure()), sender.failure());
        }
        System.out.println("sent " + count + " requests for model " + id + " (" + shape + " "
                + (data == null ? "random images" : "images of " + data) + (spec == null ? ""
                : ", " + traffic.triggeredCount() + " stamped with " + trigger.trigger) + ") to " + topic);
        return 0;
    }
}
