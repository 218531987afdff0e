package org.ncguard.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.ncguard.guard.ClientSettings;
import org.ncguard.guard.ProfilePublisher;
import org.ncguard.guard.serde.GuardSerdes;
import org.ncguard.profile.GuardProfile;
import org.ncguard.profile.ProfileJson;
import org.ncguard.profile.ProfileKeys;
import org.ncguard.profile.ProfileSignatures;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ncguard publish-profile}: a profile file onto the guard's profiles topic. */
@Command(name = "publish-profile", mixinStandardHelpOptions = true,
        description = "Publish a guard profile to the compacted profiles topic, keyed by the profile's modelSha256: "
                + "running guards serving that model file apply it from their next request.")
final class PublishProfileCommand implements Callable<Integer> {

    @Option(names = "--profile", required = true, paramLabel = "P.json", description = "The profile file.")
    Path profile;

    @Option(names = "--topic", defaultValue = "guard.profiles", paramLabel = "TOPIC",
            description = "Profiles topic (default: ${DEFAULT-VALUE}).")
    String topic;

    @Mixin
    KafkaOptions kafka;


    @Option(names = "--sign-key", paramLabel = "K",
            description = "Sign the profile with this private key (NAME.key from 'ncguard keygen') before publishing, "
                    + "replacing any signature it has: guards started with --trust-key apply only signed profiles.")
    Path signKey;

    @Override
    public Integer call() throws Exception {
        GuardProfile p = ProfileJson.read(profile);
        if (signKey != null) {
            p = ProfileSignatures.sign(p, ProfileKeys.readPrivate(signKey));
        }
        Map<String, String> settings = kafka.settings();
        Properties props = ClientSettings.of(kafka.bootstrap, settings);
        GuardSerdes serdes = kafka.serdes(settings);
        RecordMetadata m = ProfilePublisher.publish(props, topic, p, serdes);
        System.out.println("published profile " + p.profileId() + " for model " + p.modelSha256() + " to "
                + m.topic() + "-" + m.partition() + "@" + m.offset() + " (key: the modelSha256), "
                + (p.signed() ? "signed by key " + p.signature().keyId() : "unsigned"));
        return 0;
    }
}
