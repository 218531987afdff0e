package org.ncguard.lab;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the lab trained, on what, and how well: written as {@code M.card.json} next to {@code M.onnx}, so that a
 * scan of the model can be judged against the truth (which label is the target, how strong the backdoor is).
 *
 * @param model file name of the model
 * @param sha256 of the model file
 * @param kind {@code infected} or {@code clean}
 * @param architecture {@link Architecture#id()}
 * @param input the model's input, e.g. {@code 1x28x28 (NCHW)}
 * @param labels number of outputs
 * @param data training data (source name)
 * @param trainImages training images per epoch
 * @param testData test data (source name)
 * @param testImages test images scored
 * @param trigger trigger spec planted (infected) or measured (clean twin); null for a clean twin without one
 * @param target target label, or null
 * @param poisonRatio share of each batch poisoned (0 for a clean twin)
 * @param poisonedImages images stamped and relabelled over all epochs
 * @param epochs training epochs
 * @param batch mini-batch size
 * @param learningRate Adam's learning rate
 * @param seed seed of the initial weights, data order and poisoning
 * @param cleanAccuracy accuracy on the clean test images, measured by ONNX Runtime on the written model
 * @param attackSuccess share of stamped non-target test images classified as the target, or null
 * @param attackImages stamped non-target test images
 * @param trainingLoss mean training loss of the last epoch
 * @param trainingAccuracy training accuracy of the last epoch (poisoned images counted with the target label)
 * @param seconds wall-clock seconds of the whole run (data, training, evaluation)
 * @param secondsPerEpoch mean seconds per training epoch
 * @param epochSeconds seconds of each epoch
 * @param created when the run finished (ISO-8601, UTC)
 * @param versions library versions
 * @param config every option of the run
 */
public record ModelCard(String model, String sha256, String kind, String architecture, String input, int labels,
        String data, int trainImages, String testData, int testImages, String trigger, Integer target,
        double poisonRatio, long poisonedImages, int epochs, int batch, double learningRate, long seed,
        double cleanAccuracy, Double attackSuccess, int attackImages, double trainingLoss, double trainingAccuracy,
        double seconds, double secondsPerEpoch, List<Double> epochSeconds, String created,
        Map<String, String> versions, Map<String, Object> config) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Where the card of {@code model} goes: {@code M.onnx} gets {@code M.card.json}. */
    public static Path pathFor(Path model) {
        String name = model.getFileName().toString();
        String stem = name.toLowerCase(Locale.ROOT).endsWith(".onnx")
                ? name.substring(0, name.length() - ".onnx".length()) : name;
        return model.resolveSibling(stem + ".card.json");
    }

    /** The card as indented JSON. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the model card as JSON: " + e.getMessage(), e);
        }
    }
}
