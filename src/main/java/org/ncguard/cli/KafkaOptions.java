package org.ncguard.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.ncguard.NcguardException;
import org.ncguard.guard.serde.GuardSerdes;
import picocli.CommandLine.Option;

/**
 * {@code --bootstrap HOST:PORT}, {@code --config kafka.properties} and {@code --registry-url URL}: the brokers, the
 * Kafka client settings (security, timeouts, ...) and the wire format of the values, the same way in every command that
 * talks to Kafka. Every client the command creates gets them.
 */
final class KafkaOptions {

    @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT", description = "Kafka brokers.")
    String bootstrap;

    @Option(names = "--config", paramLabel = "kafka.properties",
            description = "Kafka client settings, a .properties file: security (security.protocol, sasl.*, ssl.*), "
                    + "timeouts; they override ncguard's own (serve takes Kafka Streams settings too). Every client "
                    + "the command creates gets them.")
    Path file;

    @Option(names = "--registry-url", paramLabel = "URL",
            description = "Apicurio Registry v3 API (http://HOST:PORT/apis/registry/v3): values in the Confluent wire "
                    + "format, as the guard's own --registry-url. Default: Avro single-object encoding, no registry.")
    String registryUrl;

    /** The value serdes: the registry's with {@code --registry-url}, else single-object encoding. */
    GuardSerdes serdes(Map<String, String> settings) {
        return registryUrl == null ? GuardSerdes.singleObject() : GuardSerdes.registry(registryUrl, settings);
    }

    /** The file's settings; none without {@code --config}. */
    Map<String, String> settings() throws NcguardException {
        Map<String, String> out = new TreeMap<>();
        if (file == null) {
            return out;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new NcguardException("Kafka config file not found: " + file + " (give a .properties file)");
        } catch (IOException | IllegalArgumentException e) {
            throw new NcguardException("cannot read Kafka config file " + file + ": " + e.getMessage()
                    + " (give a readable .properties file, one key=value a line)", e);
        }
        if (p.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new NcguardException("Kafka config file " + file + " sets bootstrap.servers; give the brokers with "
                    + "--bootstrap instead");
        }
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }
}
