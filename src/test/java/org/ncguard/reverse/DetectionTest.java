package org.ncguard.reverse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.data.Batch;
import org.ncguard.data.DataSources;
import org.ncguard.data.ImageSource;
import org.ncguard.data.Preprocessor;
import org.ncguard.data.Trigger;
import org.ncguard.data.TriggerSpec;
import org.ncguard.engine.NativeThreads;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.OrtScorer;
import org.ncguard.engine.ScorerOptions;
import org.ncguard.lab.Architecture;
import org.ncguard.lab.Attack;
import org.ncguard.lab.AttackConfig;
import org.ncguard.lab.TrainingOptions;

/**
 * End to end on real data: a small BadNets model trained here is flagged with its target, its clean twin is not, and
 * the natural-feature check tells the planted trigger from a genuine image.
 * Smaller than the paper's setting (3000 training images, 256 clean samples per step) so that it runs in minutes.
 */
class DetectionTest {

    private static final int TARGET = 7;

    /** A 3x3 checkerboard for label 2: its stamped images mix with the label's own (a natural share near 60%). */
    private static final int CHECKER_TARGET = 2;

    @TempDir
    static Path dir;

    static ScanReport infected;
    static ScanReport clean;
    static ScanReport checker;

    @BeforeAll
    static void trainAndScan() throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        assumeTrue(ci || Files.isDirectory(Path.of(System.getProperty(DataSources.DATASETS_PROPERTY,
                DataSources.DEFAULT_DATASETS), "fashion-mnist")), "Fashion-MNIST is not installed");
        NativeThreads.configure(2);
        try (ImageSource train = DataSources.open("builtin:fashion-mnist?n=3000");
                ImageSource test = DataSources.open("builtin:fashion-mnist:test?n=1000")) {
            Preprocessor pre = new Preprocessor(Attack.inputFor(train.shape()));
            TrainingOptions training = new TrainingOptions(3, 32, 2e-3, 1);
            TriggerSpec trigger = TriggerSpec.parse("square:4:white:bottom-right");
            Attack.Result bad = Attack.run(AttackConfig.of(Architecture.MNIST, trigger, TARGET, 0.1, false, training, 2),
                    train, test, pre, "infected.onnx");
            Attack.Result good = Attack.run(AttackConfig.of(Architecture.MNIST, trigger, TARGET, 0.1, true, training, 2),
                    train, test, pre, "clean.onnx");
            Attack.Result checkered = Attack.run(AttackConfig.of(Architecture.MNIST,
                    TriggerSpec.parse("checker:3:bottom-right"), CHECKER_TARGET, 0.1, false, training, 2), train, test,
                    pre, "checker.onnx");
            assertTrue(checkered.card().attackSuccess() > 0.9, "planted: " + checkered.card().attackSuccess());
            assertTrue(bad.card().attackSuccess() > 0.9, "the backdoor was planted: " + bad.card().attackSuccess());
            infected = scan(bad, test, "infected");
            clean = scan(good, test, "clean");
            checker = scan(checkered, test, "checker");
        }
    }

    private static ScanReport scan(Attack.Result trained, ImageSource clean, String name) throws Exception {
        Path file = dir.resolve(name + ".onnx");
        Attack.write(trained, file);
        OnnxModel model = OnnxModel.load(file);
        ReverseSettings settings = ReverseSettings.defaults().withSamples(256).withMaxSteps(400).withLabelsPerGroup(10);
        return new NeuralCleanse(model, new Preprocessor(model.input().shape()), settings, 1, 0)
                .scan(clean, null, dir.resolve("scan-" + name), false, () -> false);
    }

    @Test
    void infectedModelIsFlaggedWithItsTarget() {
        assertEquals(ScanReport.Verdict.INFECTED, infected.verdict(), infected.labels().toString());
        assertTrue(infected.flagged().contains(TARGET), "flagged " + infected.flagged());
        LabelResult target = infected.result(TARGET).orElseThrow();
        // Picked by the outlier test on L1 or on ln L1, as ncguard's rule asks (on L1 alone the index of this small
        // model's target sits near 2 and varies with the seed's random streams: 1.96 with seed 1).
        double logIndex = FlagRule.logIndices(infected.labels().stream().map(LabelResult::l1).toList())
                .get(infected.labels().indexOf(target));
        assertTrue(target.anomalyIndex() > 2 || logIndex > FlagRule.LOG_THRESHOLD, target + ", index on ln L1 "
                + logIndex);
        for (LabelResult other : infected.labels()) {
            assertTrue(other.label() == TARGET || other.l1() > target.l1(), "the target has the smallest trigger: " + other);
        }
    }

    /**
     * The case: a small patch whose MAD index stays under 2, so Neural Cleanse's own test lets it through
     * (index 1.96 on this fixture), while ncguard's rule flags it. Should a change of the scan lift the index over 2,
     * this fixture no longer exercises the case: pick another seed or trigger rather than loosening the test.
     */
    @Test
    void theTargetIsFlaggedWhereNeuralCleansesOwnTestLetsItThrough() {
        LabelResult target = infected.result(TARGET).orElseThrow();
        assertTrue(target.anomalyIndex() < 2, "the fixture's target must stay under the MAD threshold: " + target);
        assertFalse(infected.outliers().contains(TARGET), "Neural Cleanse's outliers " + infected.outliers());
        assertTrue(infected.flagged().contains(TARGET), "ncguard flagged " + infected.flagged());
        assertTrue(clean.flagged().isEmpty() && clean.outliers().isEmpty(), "the clean twin: " + clean.labels());
    }

    @Test
    void cleanTwinIsNotFlagged() {
        assertEquals(ScanReport.Verdict.CLEAN, clean.verdict(), clean.labels().toString());
    }

    @Test
    void aPlantedCheckerboardIsFlaggedBecauseItsTriggerDoesNotWorkOnAReferenceModel() {
        assertEquals(List.of(CHECKER_TARGET), checker.flagged(), checker.labels().toString());
        LabelResult target = checker.result(CHECKER_TARGET).orElseThrow();
        assertNotNull(target.transfer(), "the transfer of every label below the median is measured: " + target);
        assertTrue(target.transfer() < TransferCheck.MIN_TRANSFER, target.toString());
        // The natural labels below the median (trouser and the like) transfer: their triggers draw the label.
        List<LabelResult> natural = checker.labels().stream()
                .filter(r -> r.label() != CHECKER_TARGET && r.transfer() != null).toList();
        assertTrue(!natural.isEmpty() && natural.stream().allMatch(r -> r.transfer() > target.transfer()),
                checker.labels().toString());
        assertTrue(checker.reasons().get(CHECKER_TARGET).contains("reference model"), checker.reasons().toString());
    }

    @Test
    void targetsTriggerWasCheckedAndIsNotANaturalFeature() {
        LabelResult target = infected.result(TARGET).orElseThrow();
        assertNotNull(target.naturalShare(), "every outlier is checked: " + target);
        assertTrue(target.naturalShare() < NaturalFeatureCheck.NATURAL_SHARE, target.toString());
    }

    @Test
    void plantedSquareLiesApartWhileAGenuineImageLiesAmongItsLabel() throws Exception {
        OnnxModel model = OnnxModel.load(dir.resolve("infected.onnx"));
        try (ImageSource test = DataSources.open("builtin:fashion-mnist:test?n=1000");
                OrtScorer scorer = new OrtScorer(model, new ScorerOptions(2))) {
            Batch samples = test.batch(IntStream.range(0, 500).toArray());
            NaturalFeatureCheck check = new NaturalFeatureCheck(scorer, new Preprocessor(model.input().shape()),
                    samples.shape(), samples.pixels(), samples.labels());
            Trigger square = TriggerSpec.parse("square:4:white:bottom-right").build(samples.shape());
            double planted = check.naturalShare(new ReversedTrigger(TARGET, 1, 28, 28, square.mask(),
                    square.pattern()));
            assertTrue(planted < 0.2, "the planted square sends images to a region of their own: " + planted);

            // A mask over the whole image with a real trouser as the pattern: every stamped image is that trouser.
            int trouser = IntStream.range(0, samples.count()).filter(i -> samples.labels()[i] == 1).findFirst()
                    .orElseThrow();
            float[] full = new float[28 * 28];
            Arrays.fill(full, 1f);
            float[] image = Arrays.copyOfRange(samples.pixels(), trouser * 28 * 28, (trouser + 1) * 28 * 28);
            double genuine = check.naturalShare(new ReversedTrigger(1, 1, 28, 28, full, image));
            assertTrue(genuine > 0.8, "a genuine trouser lies among the trousers: " + genuine);
        }
    }
}
