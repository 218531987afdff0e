package org.ncguard.mitigate.patch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ncguard.AtomicFiles;
import org.ncguard.NcguardException;

/**
 * The files of a patch, all beside the patched model: {@code M.onnx}, {@code M.card.json}, and for pruning
 * {@code M.curve.json} and {@code M.curve.html}. Each file is written atomically, and if one fails the ones already
 * written are removed: a run leaves all of them or none.
 */
public final class PatchOutputs {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PatchOutputs() {
    }

    /** The pruning curve's JSON file beside {@code model}. */
    public static Path curveJson(Path model) {
        return model.resolveSibling(PatchCard.stem(model) + ".curve.json");
    }

    /** The pruning curve's page beside {@code model}. */
    public static Path curveHtml(Path model) {
        return model.resolveSibling(PatchCard.stem(model) + ".curve.html");
    }

    /** Writes {@code outcome} with the model at {@code out}; returns the files written. */
    public static List<Path> write(PatchOutcome outcome, Path out) throws NcguardException {
        Map<Path, byte[]> files = new LinkedHashMap<>();
        files.put(out, outcome.model());
        files.put(PatchCard.pathFor(out), outcome.card().toJson().getBytes(StandardCharsets.UTF_8));
        if (outcome.curve() != null) {
            files.put(curveJson(out), curveJson(outcome));
            files.put(curveHtml(out), outcome.page().getBytes(StandardCharsets.UTF_8));
        }
        List<Path> written = new ArrayList<>();
        for (Map.Entry<Path, byte[]> file : files.entrySet()) {
            try {
                AtomicFiles.write(file.getKey(), file.getValue());
                written.add(file.getKey());
            } catch (IOException e) {
                for (Path done : written) {
                    try {
                        Files.deleteIfExists(done);
                    } catch (IOException ignored) {
                        // the message below is what matters
                    }
                }
                throw new NcguardException("cannot write " + file.getKey() + ": " + e + " (nothing was kept)", e);
            }
        }
        return List.copyOf(written);
    }

    private static byte[] curveJson(PatchOutcome outcome) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", outcome.card().model());
        json.put("original", outcome.card().original());
        json.put("originalSha256", outcome.card().originalSha256());
        json.put("layer", outcome.curve().layer().id());
        json.put("units", outcome.curve().units());
        json.put("kept", outcome.card().details().get("pruned"));
        json.put("points", outcome.curve().points());
        try {
            return (JSON.writeValueAsString(json) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the pruning curve as JSON: " + e.getMessage(), e);
        }
    }
}
