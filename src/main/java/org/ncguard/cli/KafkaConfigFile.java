package org.ncguard.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.ncguard.NcguardException;

/** {@code --config kafka.properties}: extra Kafka client and Streams settings (security, timeouts, ...). */
final class KafkaConfigFile {

    private KafkaConfigFile() {
    }

    static Map<String, String> read(Path file) throws NcguardException {
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
            throw new NcguardException("cannot read Kafka config file " + file + ": " + e.getMessage(), e);
        }
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }
}
