package org.ncguard.profile;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the guard scores a model's requests against: for each suspicious label, a linear score over penultimate neurons
 * and a threshold calibrated on clean data ({@link LabelProfile}). A profile with no labels belongs to a model the scan
 * found clean: the guard passes its traffic.
 *
 * <p>Stored as {@code profile.json} ({@link ProfileJson}) and, on the guard's profiles topic, as the Avro record of
 * {@code schemas/GuardProfile.avsc} ({@link ProfileAvro}): the same content.
 *
 * @param formatVersion {@value #FORMAT_VERSION}
 * @param profileId     unique per build
 * @param createdAt     ISO-8601, UTC
 * @param modelSha256   the ONNX file the profile belongs to; the guard refuses it for any other model
 * @param labelsCount   the model's number of labels
 * @param penultimate   the layer the neurons index
 * @param input         how raw pixels become the model's input
 * @param fpr           false-positive rate the thresholds were set at
 * @param score         how the scores were built: {@code ncguard} or {@code paper}
 * @param labels        the suspicious labels, ascending; empty for a clean model
 * @param scan          the scan the profile came from; null when built without one
 * @param versions      ncguard and library versions that built it
 * @param signature     who signed the rest of the profile ({@link ProfileSignatures}); null when unsigned
 */
public record GuardProfile(int formatVersion, String profileId, String createdAt, String modelSha256, int labelsCount,
                           PenultimateLayer penultimate, InputSpec input, double fpr, String score,
                           List<LabelProfile> labels, ScanSource scan, Map<String, String> versions,
                           ProfileSignature signature) {

    /** The layout version this code writes and reads. */
    public static final int FORMAT_VERSION = 1;

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public GuardProfile {
        if (formatVersion != FORMAT_VERSION) {
            throw new IllegalArgumentException("formatVersion " + formatVersion + " is not supported; this ncguard "
                    + "reads version " + FORMAT_VERSION);
        }
        if (profileId == null || profileId.isBlank()) {
            throw new IllegalArgumentException("profileId is required");
        }
        if (modelSha256 == null || !SHA256.matcher(modelSha256).matches()) {
            throw new IllegalArgumentException("modelSha256 must be 64 lowercase hex digits, found " + modelSha256);
        }
        if (labelsCount < 1) {
            throw new IllegalArgumentException("labelsCount must be >= 1, found " + labelsCount);
        }
        if (penultimate == null || input == null) {
            throw new IllegalArgumentException("penultimate and input are required");
        }
        if (!(fpr > 0 && fpr < 1)) {
            throw new IllegalArgumentException("fpr must be in (0, 1), found " + fpr);
        }
        if (score == null || score.isBlank()) {
            throw new IllegalArgumentException("score (the form's name) is required");
        }
        labels = List.copyOf(labels == null ? List.of() : labels);
        Set<Integer> seen = new HashSet<>();
        for (LabelProfile l : labels) {
            if (l.label() >= labelsCount || !seen.add(l.label())) {
                throw new IllegalArgumentException("profile labels must be unique and below " + labelsCount
                        + ", found label " + l.label());
            }
            for (int n : l.neurons()) {
                if (n >= penultimate.size()) {
                    throw new IllegalArgumentException("label " + l.label() + " names neuron " + n + " but the "
                            + "penultimate layer has " + penultimate.size());
                }
            }
        }
        versions = Map.copyOf(versions == null ? Map.of() : versions);
    }

    /** The same profile with {@code s} as its signature (null: unsigned). */
    public GuardProfile withSignature(ProfileSignature s) {
        return new GuardProfile(formatVersion, profileId, createdAt, modelSha256, labelsCount, penultimate, input, fpr,
                score, labels, scan, versions, s);
    }

    /** Whether the profile carries a signature (checked or not). */
    public boolean signed() {
        return signature != null;
    }

    /** The profile of {@code label}, if it is suspicious. */
    public Optional<LabelProfile> label(int label) {
        return labels.stream().filter(l -> l.label() == label).findFirst();
    }

    /** Whether the scan found nothing to guard against. */
    public boolean clean() {
        return labels.isEmpty();
    }

    /**
     * The label whose score stands highest above its threshold (in units of its clean spread): the input's suspicion,
     * whether or not it crosses the line. Empty for a clean profile.
     */
    public Optional<Suspicion> mostSuspicious(float[] activations) {
        if (activations.length != penultimate.size()) {
            throw new IllegalArgumentException("expected " + penultimate.size() + " penultimate activations, found "
                    + activations.length);
        }
        Suspicion highest = null;
        for (LabelProfile l : labels) {
            Suspicion here = new Suspicion(l, l.score(activations));
            if (highest == null || here.margin() > highest.margin()) {
                highest = here;
            }
        }
        return Optional.ofNullable(highest);
    }

    /**
     * One label's score for an input.
     *
     * @param label the label profile
     * @param score the input's score
     */
    public record Suspicion(LabelProfile label, double score) {

        /** Whether the score is above the label's threshold. */
        public boolean suspicious() {
            return label.suspicious(score);
        }

        /** How far above the threshold, in clean standard deviations (or raw units when those are 0). */
        public double margin() {
            double spread = label.cleanStd() > 0 ? label.cleanStd() : 1;
            return (score - label.threshold()) / spread;
        }
    }
}
