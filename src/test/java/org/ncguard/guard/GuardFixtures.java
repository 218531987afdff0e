package org.ncguard.guard;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.ncguard.avro.InferenceRequest;
import org.ncguard.avro.Tensor;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;
import org.ncguard.engine.OnnxBuilder;
import org.ncguard.engine.OnnxModel;
import org.ncguard.guard.score.ModelRunner;
import org.ncguard.guard.score.PixelTable;
import org.ncguard.guard.score.ScoringWorker;
import org.ncguard.profile.GuardProfile;
import org.ncguard.profile.InputSpec;
import org.ncguard.profile.LabelProfile;
import org.ncguard.profile.ProfileJson;
import org.ncguard.profile.PenultimateLayer;
import org.ncguard.profile.Roc;
import org.ncguard.profile.RocCurve;

/**
 * A small real ONNX classifier (8x8 grey, 3 labels, 16 penultimate features) and a hand-built profile calibrated on
 * that model's own activations: the "trigger" (a white square stamped on a dark image) scores above the threshold,
 * clean dark images below.
 */
final class GuardFixtures {

    static final int SIZE = 8;
    static final int SUSPECT_LABEL = 1;
    static final String MODEL_ID = "tiny";

    private GuardFixtures() {
    }

    /** Writes the model; the same seed gives the same file. */
    static Path tinyModel(Path dir, long seed) throws IOException {
        Path file = dir.resolve("tiny-" + seed + ".onnx");
        OnnxBuilder.image(new ImageShape(1, SIZE, SIZE, Layout.NCHW), 13, seed)
                .conv(4, 3, 1, 1).relu().maxPool(2)
                .view().dense(16).relu().dense(3)
                .write(file);
        return file;
    }

    /** The tiny model (seed 7) and its profile, both written to a folder: what a guard under test serves. */
    record Served(Path model, GuardProfile profile, Path profileFile) {}

    /** Writes {@code tiny-7.onnx} and {@code profile.json} (its profile, made at {@code createdAt}) to {@code dir}. */
    static Served served(Path dir, String profileId, String createdAt) throws Exception {
        Path model = tinyModel(dir, 7);
        GuardProfile profile;
        try (ModelRunner m = runner(model)) {
            profile = profile(m, profileId, createdAt);
        }
        Path file = dir.resolve("profile.json");
        Files.write(file, ProfileJson.toBytes(profile));
        return new Served(model, profile, file);
    }

    static ModelRunner runner(Path file) throws Exception {
        return runner(file, MODEL_ID);
    }

    static ModelRunner runner(Path file, String id) throws Exception {
        return new ModelRunner(id, OnnxModel.load(file), 1);
    }

    /** A dark random image, HWC bytes. */
    static byte[] clean(int seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] img = new byte[SIZE * SIZE];
        for (int i = 0; i < img.length; i++) {
            img[i] = (byte) r.nextInt(60);
        }
        return img;
    }

    /** A clean image with a 4x4 white square at the bottom right. */
    static byte[] triggered(int seed) {
        byte[] img = clean(seed);
        for (int y = SIZE - 5; y < SIZE - 1; y++) {
            for (int x = SIZE - 5; x < SIZE - 1; x++) {
                img[y * SIZE + x] = (byte) 255;
            }
        }
        return img;
    }

    static float[] activations(ModelRunner model, byte[] pixels) {
        try (ScoringWorker w = model.newWorker()) {
            w.score(tensor(pixels), PixelTable.unitRange(1));
            return w.activations().clone();
        }
    }

    /**
     * A profile for {@link #SUSPECT_LABEL} over the 3 neurons the trigger excites most above the clean images, with
     * a threshold halfway between the highest clean score and the lowest triggered score (seeds 0-7 each).
     */
    static GuardProfile profile(ModelRunner model, String profileId, String createdAt) {
        List<float[]> clean = new ArrayList<>();
        List<float[]> stamped = new ArrayList<>();
        for (int s = 0; s < 8; s++) {
            clean.add(activations(model, clean(s)));
            stamped.add(activations(model, triggered(s)));
        }
        int n = model.penultimateSize();
        double[] gap = new double[n];
        for (int i = 0; i < n; i++) {
            final int k = i;
            gap[i] = stamped.stream().mapToDouble(a -> a[k]).min().orElseThrow()
                    - clean.stream().mapToDouble(a -> a[k]).max().orElseThrow();
        }
        int[] neurons = IntStream.range(0, n).boxed().sorted(Comparator.comparingDouble(i -> -gap[i])).limit(3)
                .mapToInt(Integer::intValue).toArray();
        float[] ones = new float[neurons.length];
        Arrays.fill(ones, 1f);
        float[] gaps = new float[neurons.length];
        for (int i = 0; i < neurons.length; i++) {
            gaps[i] = (float) gap[neurons[i]];
        }
        double maxClean = clean.stream().mapToDouble(a -> sum(a, neurons)).max().orElseThrow();
        double minStamped = stamped.stream().mapToDouble(a -> sum(a, neurons)).min().orElseThrow();
        if (!(minStamped > maxClean)) {
            throw new IllegalStateException("the fixture's trigger does not separate: clean up to " + maxClean
                    + ", stamped from " + minStamped);
        }
        double threshold = (maxClean + minStamped) / 2;
        LabelProfile label = new LabelProfile(SUSPECT_LABEL, neurons, ones, new float[neurons.length], ones.clone(),
                threshold, gaps, maxClean, (minStamped - maxClean) / 8, new Roc(new RocCurve(1.0, List.of()), null));
        return profile(model.sha256(), model, profileId, createdAt, List.of(label));
    }

    static GuardProfile profile(String sha, ModelRunner model, String profileId, String createdAt,
                                List<LabelProfile> labels) {
        return new GuardProfile(GuardProfile.FORMAT_VERSION, profileId, createdAt, sha, model.labels(),
                new PenultimateLayer(model.penultimateName(), model.penultimateSize()),
                new InputSpec(model.inputName(), "NCHW", 1, SIZE, SIZE, 1f / 255f, new float[] {0f}, new float[] {1f}),
                0.05, "ncguard", labels, null, Map.of(), null);
    }

    /** The same profile with another threshold (and id, and time). */
    static GuardProfile withThreshold(GuardProfile p, double threshold, String profileId, String createdAt) {
        LabelProfile l = p.labels().get(0);
        LabelProfile changed = new LabelProfile(l.label(), l.neurons(), l.weights(), l.center(), l.scale(), threshold,
                l.gaps(), l.cleanMean(), l.cleanStd(), l.roc());
        return new GuardProfile(p.formatVersion(), profileId, createdAt, p.modelSha256(), p.labelsCount(),
                p.penultimate(), p.input(), p.fpr(), p.score(), List.of(changed), p.scan(), p.versions(), null);
    }

    static Tensor tensor(byte[] hwc) {
        return new Tensor("UINT8", List.of((long) SIZE, (long) SIZE, 1L), ByteBuffer.wrap(hwc));
    }

    static InferenceRequest request(String id, byte[] hwc) {
        return new InferenceRequest(id, MODEL_ID, Instant.ofEpochMilli(1_700_000_000_000L), tensor(hwc), null,
                Map.of());
    }

    static InferenceRequest request(String id, String model, Tensor tensor, List<Float> activations) {
        return new InferenceRequest(id, model, Instant.ofEpochMilli(1_700_000_000_000L), tensor, activations,
                Map.of());
    }

    static Tensor fp32(List<Long> shape, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        b.flip();
        return new Tensor("FP32", shape, b);
    }

    static double sum(float[] a, int[] neurons) {
        double s = 0;
        for (int n : neurons) {
            s += a[n];
        }
        return s;
    }
}
