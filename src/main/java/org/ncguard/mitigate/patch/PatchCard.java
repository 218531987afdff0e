package org.ncguard.mitigate.patch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.ncguard.engine.ParityResult;

/**
 * The provenance of a patched model, written beside it: which model it came from, how it was patched, what that did
 * to clean accuracy and attack success, and that the result still passes parity.
 *
 * @param model          the patched model's file name
 * @param sha256         its SHA-256
 * @param original       the original model's file name
 * @param originalSha256 the original's SHA-256 (the scan's too)
 * @param method         {@code prune} or {@code unlearn}
 * @param flaggedLabels  the scan's flagged labels, whose reversed triggers drove the patch
 * @param realTrigger    the real trigger's spec, when it was given
 * @param realTarget     its target
 * @param before         the original's figures on the held-out images
 * @param after          the patched model's figures on the same images
 * @param control        unlearning only: the same fine-tuning on clean data only
 * @param goalMet        whether attack success ended under the target within the accuracy budget
 * @param why            one line on how the run ended
 * @param details        method specifics (pruned units, layer, stamped share, ...)
 * @param settings       every option of the run
 * @param parity         the patched model's SameDiff versus ONNX Runtime check
 * @param seconds        wall-clock time
 * @param created        when (ISO-8601, UTC)
 * @param versions       library versions
 */
public record PatchCard(String model, String sha256, String original, String originalSha256, String method,
        List<Integer> flaggedLabels, String realTrigger, Integer realTarget, Measurement before, Measurement after,
        Measurement control, boolean goalMet, String why, Map<String, Object> details, Map<String, Object> settings,
        ParityResult parity, double seconds, String created, Map<String, String> versions) {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public PatchCard {
        if (!SHA256.matcher(String.valueOf(sha256)).matches()
                || !SHA256.matcher(String.valueOf(originalSha256)).matches()) {
            throw new IllegalArgumentException("sha256 values must be 64 lowercase hex digits, found " + sha256
                    + " and " + originalSha256);
        }
        if (!List.of("prune", "unlearn").contains(method)) {
            throw new IllegalArgumentException("method must be prune or unlearn, found " + method);
        }
        if (before == null || after == null) {
            throw new IllegalArgumentException("a card needs the figures before and after");
        }
        flaggedLabels = List.copyOf(flaggedLabels);
        details = details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
        settings = settings == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /** Where the card of {@code model} goes: {@code M.onnx} gets {@code M.card.json}. */
    public static Path pathFor(Path model) {
        return model.resolveSibling(stem(model) + ".card.json");
    }

    /** {@code patched} for {@code patched.onnx}. */
    static String stem(Path model) {
        String name = model.getFileName().toString();
        return name.toLowerCase(Locale.ROOT).endsWith(".onnx") ? name.substring(0, name.length() - 5) : name;
    }

    /** The card as indented JSON. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the patch card as JSON: " + e.getMessage(), e);
        }
    }
}
