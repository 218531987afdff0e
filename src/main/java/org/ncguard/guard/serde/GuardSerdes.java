package org.ncguard.guard.serde;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.ncguard.avro.GuardAlert;
import org.ncguard.avro.GuardProfile;
import org.ncguard.avro.GuardVerdict;
import org.ncguard.avro.InferenceRequest;

/**
 * The serdes of the guard's topics, in one of two wire formats: Avro single-object encoding ({@link #singleObject()},
 * the default, no registry) or the Confluent wire format through an Apicurio Registry ({@link #registry(String)}).
 * Keys are always UTF-8 strings.
 */
public final class GuardSerdes {

    /**
     * Avro's own limits on one decoded bytes field, string and collection, set before Avro reads its first record
     * unless the user set them: a corrupt length in a fuzzed or hostile request must fail decoding, not allocate
     * gigabytes. Avro reads these system properties once.
     */
    public static final Map<String, String> AVRO_LIMITS = Map.of(
            "org.apache.avro.limits.bytes.maxLength", String.valueOf(64 << 20),
            "org.apache.avro.limits.string.maxLength", String.valueOf(1 << 20),
            "org.apache.avro.limits.collectionItems.maxLength", String.valueOf(16 << 20));

    static {
        AVRO_LIMITS.forEach((k, v) -> {
            if (System.getProperty(k) == null) {
                System.setProperty(k, v);
            }
        });
    }

    private final Serde<InferenceRequest> requests;
    private final Serde<GuardVerdict> verdicts;
    private final Serde<GuardAlert> alerts;
    private final Serde<GuardProfile> profiles;
    private final Supplier<RequestReader> readers;
    private final String format;

    private GuardSerdes(String format, Serde<InferenceRequest> requests, Serde<GuardVerdict> verdicts,
                        Serde<GuardAlert> alerts, Serde<GuardProfile> profiles, Supplier<RequestReader> readers) {
        this.format = format;
        this.requests = requests;
        this.verdicts = verdicts;
        this.alerts = alerts;
        this.profiles = profiles;
        this.readers = readers;
    }

    /** Avro single-object encoding: 0xC3 0x01, the schema's 8-byte fingerprint, the binary body. */
    public static GuardSerdes singleObject() {
        return new GuardSerdes("single-object",
                new SingleObjectSerde<>(InferenceRequest.getEncoder(), InferenceRequest.getDecoder()),
                new SingleObjectSerde<>(GuardVerdict.getEncoder(), GuardVerdict.getDecoder()),
                new SingleObjectSerde<>(GuardAlert.getEncoder(), GuardAlert.getDecoder()),
                new SingleObjectSerde<>(GuardProfile.getEncoder(), profileDecoder()),
                SingleObjectRequestReader::new);
    }

    /**
     * The profile decoder, which also takes records written before profiles had a signature (they read as unsigned):
     * single-object encoding names the writer's schema by fingerprint, so that earlier schema must be known.
     */
    static BinaryMessageDecoder<GuardProfile> profileDecoder() {
        BinaryMessageDecoder<GuardProfile> decoder = GuardProfile.createDecoder(null);
        Schema current = GuardProfile.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : current.getFields()) {
            if (!f.name().equals("signature")) {
                fields.add(new Schema.Field(f, f.schema()));
            }
        }
        decoder.addSchema(Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false,
                fields));
        return decoder;
    }

    /**
     * The Confluent wire format (byte 0, 4-byte schema id, body) through Apicurio's serde, schemas registered
     * automatically.
     *
     * @param url the registry's v3 API, {@code http://HOST:PORT/apis/registry/v3}
     */
    public static GuardSerdes registry(String url) {
        return registry(url, Map.of());
    }

    /**
     * The Confluent wire format through a registry that needs settings of its own (login, TLS).
     *
     * @param url      the registry's v3 API, {@code http://HOST:PORT/apis/registry/v3}
     * @param settings client settings ({@code --config}); those named {@code apicurio.registry.*} (e.g.
     *                 {@code apicurio.registry.auth.username}, {@code apicurio.registry.tls.truststore.location})
     *                 go to Apicurio's serde and override ncguard's
     */
    public static GuardSerdes registry(String url, Map<String, String> settings) {
        Map<String, Object> config = new HashMap<>(registryConfig(url));
        settings.forEach((k, v) -> {
            if (k.startsWith(REGISTRY_PREFIX)) {
                config.put(k, v);
            }
        });
        return new GuardSerdes("confluent wire format via " + url, registrySerde(config), registrySerde(config),
                registrySerde(config), registrySerde(config), () -> {
                    Serde<Object> s = registrySerde(config);
                    Deserializer<Object> d = s.deserializer();
                    return new RegistryRequestReader(d);
                });
    }

    /** Where the Apicurio serde's own settings start. */
    public static final String REGISTRY_PREFIX = "apicurio.registry.";

    /** The Apicurio serde settings for a registry: auto-register, no headers, content ids as schema ids. */
    public static Map<String, Object> registryConfig(String url) {
        Map<String, Object> config = new HashMap<>();
        config.put("apicurio.registry.url", url);
        config.put("apicurio.registry.auto-register", true);
        config.put("apicurio.registry.headers.enabled", false);
        config.put("apicurio.registry.use-id", "contentId");
        config.put("apicurio.registry.use-specific-avro-reader", true);
        return Map.copyOf(config);
    }

    private static <T> Serde<T> registrySerde(Map<String, Object> config) {
        io.apicurio.registry.serde.avro.AvroSerde<T> serde = new io.apicurio.registry.serde.avro.AvroSerde<>();
        serde.configure(config, false);
        return serde;
    }

    /** UTF-8 string keys (request ids, model hashes). */
    public Serde<String> keys() {
        return Serdes.String();
    }

    /** Raw bytes: requests are forwarded unchanged. */
    public Serde<byte[]> raw() {
        return Serdes.ByteArray();
    }

    /** Writing requests (producers, tests); the guard reads them with {@link #newRequestReader()}. */
    public Serde<InferenceRequest> requests() {
        return requests;
    }

    public Serde<GuardVerdict> verdicts() {
        return verdicts;
    }

    public Serde<GuardAlert> alerts() {
        return alerts;
    }

    public Serde<GuardProfile> profiles() {
        return profiles;
    }

    /** A reader for one stream task. */
    public RequestReader newRequestReader() {
        return readers.get();
    }

    @Override
    public String toString() {
        return "GuardSerdes[" + format + "]";
    }
}
