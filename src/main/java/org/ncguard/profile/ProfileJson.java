package org.ncguard.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** {@code profile.json}: reads and writes a {@link GuardProfile}, with errors that name the file and the problem. */
public final class ProfileJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .build();

    /** Indented objects, arrays on one line: a label's neuron arrays hold hundreds of numbers. */
    private static final ObjectWriter WRITER = MAPPER.writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n")));

    private ProfileJson() {
    }

    /** The profile as JSON text. */
    public static byte[] toBytes(GuardProfile profile) {
        try {
            return WRITER.writeValueAsBytes(profile);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses a profile.
     *
     * @param source named in error messages
     * @throws InvalidProfileException when the bytes are not a valid profile
     */
    public static GuardProfile fromBytes(String source, byte[] json) throws InvalidProfileException {
        try {
            GuardProfile p = MAPPER.treeToValue(unsignedIfAbsent(MAPPER.readTree(json)), GuardProfile.class);
            if (p == null) {
                throw new InvalidProfileException(source + " is empty, expected a guard profile (JSON)");
            }
            return p;
        } catch (IOException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            throw new InvalidProfileException(source + " is not a valid guard profile: " + firstLine(cause), e);
        }
    }

    /**
     * A profile written before profiles were signed has no {@code signature}: it reads as unsigned, while every other
     * field stays required.
     */
    private static JsonNode unsignedIfAbsent(JsonNode tree) {
        if (tree instanceof ObjectNode o && !o.has("signature")) {
            o.putNull("signature");
        }
        return tree;
    }

    /** Reads {@code file}. */
    public static GuardProfile read(Path file) throws InvalidProfileException {
        try {
            return fromBytes(file.toString(), Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new InvalidProfileException("profile not found: " + file + " (build one with 'ncguard profile')");
        } catch (IOException e) {
            throw new InvalidProfileException("cannot read profile " + file + ": " + e.getMessage(), e);
        }
    }

    private static String firstLine(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
    }
}
