package org.ncguard.reverse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.NcguardException;
import org.ncguard.data.ImageSource;
import org.ncguard.data.Preprocessor;
import org.ncguard.data.SignsSource;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;
import org.ncguard.engine.OnnxBuilder;
import org.ncguard.engine.OnnxModel;

/** The scan's bookkeeping on a tiny random model: files, resume after an interruption, bad input. */
class NeuralCleanseTest {

    @TempDir
    static Path shared;

    static OnnxModel model;

    /** Small settings: two mini-batches per step, a few steps; the schedule itself is tested elsewhere. */
    static final ReverseSettings TINY = ReverseSettings.defaults().withSamples(64).withMaxSteps(6).withLabelsPerGroup(1);

    @BeforeAll
    static void tinyModel() throws Exception {
        Path file = shared.resolve("tiny.onnx");
        OnnxBuilder.image(new ImageShape(3, 32, 32, Layout.NCHW), 13, 4)
                .conv(4, 3, 2, 1).relu().maxPool(2).view().dense(16).relu().dense(4)
                .write(file);
        model = OnnxModel.load(file);
    }

    static ImageSource signs(int n) {
        return new SignsSource(3, SignsSource.Split.TEST, n);
    }

    NeuralCleanse scanner() {
        return new NeuralCleanse(model, new Preprocessor(model.input().shape()), TINY, 1, 0);
    }

    @Test
    void writesReportTriggersAndPageForTheRequestedLabels(@TempDir Path out) throws Exception {
        ScanReport report;
        try (ImageSource data = signs(80)) {
            report = scanner().scan(data, List.of(0, 2), out, false, () -> false);
        }
        assertTrue(report.complete());
        assertEquals(List.of(0, 2), report.labels().stream().map(LabelResult::label).toList());
        report.labels().forEach(l -> assertTrue(l.steps() >= 1 && l.steps() <= 6, l.toString()));
        ScanReport onDisk = ScanReport.read(out.resolve("scan.json"));
        assertEquals(report.labels(), onDisk.labels());
        assertEquals(model.sha256(), onDisk.modelSha256());
        ReversedTrigger trigger = ReversedTrigger.read(out.resolve("triggers/label-02.json"));
        assertEquals(32 * 32, trigger.mask().length);
        assertEquals(3 * 32 * 32, trigger.pattern().length);
        for (float v : trigger.mask()) {
            assertTrue(v >= 0 && v <= 1, "mask values stay inside [0,1]: " + v);
        }
        assertTrue(Files.readString(out.resolve("report.html")).contains("<svg"));
    }

    @Test
    void interruptedScanIsValidAndResumes(@TempDir Path out) throws Exception {
        Path firstTrigger = out.resolve("triggers/label-00.json");
        ScanReport partial;
        try (ImageSource data = signs(80)) {
            partial = scanner().scan(data, null, out, false, () -> Files.exists(firstTrigger));
        }
        assertFalse(partial.complete());
        ScanReport stored = ScanReport.read(out.resolve("scan.json"));
        assertFalse(stored.complete(), "an interrupted scan says so on disk");
        assertEquals(List.of(0), stored.labels().stream().map(LabelResult::label).toList());

        try (ImageSource data = signs(80)) {
            NcguardException refused = assertThrows(NcguardException.class,
                    () -> scanner().scan(data, null, out, false, () -> false));
            assertTrue(refused.getMessage().contains("--resume"), refused.getMessage());
        }
        ScanReport resumed;
        try (ImageSource data = signs(80)) {
            resumed = scanner().scan(data, null, out, true, () -> false);
        }
        assertTrue(resumed.complete());
        assertEquals(List.of(0, 1, 2, 3), resumed.labels().stream().map(LabelResult::label).toList());
        LabelResult before = stored.result(0).orElseThrow();
        LabelResult after = resumed.result(0).orElseThrow();
        assertEquals(before.l1(), after.l1(), "the finished label is kept, not redone");
        assertEquals(before.seconds(), after.seconds());
    }

    @Test
    void resumeRefusesOtherSearchOptions(@TempDir Path out) throws Exception {
        Path firstTrigger = out.resolve("triggers/label-00.json");
        try (ImageSource data = signs(80)) {
            scanner().scan(data, null, out, false, () -> Files.exists(firstTrigger));
        }
        NeuralCleanse otherSeedAndSteps = new NeuralCleanse(model, new Preprocessor(model.input().shape()),
                TINY.withMaxSteps(7), 2, 0);
        try (ImageSource data = signs(80)) {
            NcguardException refused = assertThrows(NcguardException.class,
                    () -> otherSeedAndSteps.scan(data, null, out, true, () -> false));
            assertTrue(refused.getMessage().contains("settings.maxSteps 6, now 7"), refused.getMessage());
            assertTrue(refused.getMessage().contains("seed 1, now 2"), refused.getMessage());
        }
        NeuralCleanse otherGroups = new NeuralCleanse(model, new Preprocessor(model.input().shape()),
                TINY.withLabelsPerGroup(2), 1, 0);
        try (ImageSource data = signs(80)) {
            assertTrue(otherGroups.scan(data, null, out, true, () -> false).complete(),
                    "the group size only changes which labels share a pass");
        }
    }

    @Test
    void rejectsLabelsTheModelDoesNotHave(@TempDir Path out) {
        try (ImageSource data = signs(80)) {
            NcguardException e = assertThrows(NcguardException.class,
                    () -> scanner().scan(data, List.of(4), out, false, () -> false));
            assertTrue(e.getMessage().contains("labels 0..3"), e.getMessage());
        }
    }

    @Test
    void rejectsFewerSamplesThanABatch(@TempDir Path out) {
        try (ImageSource data = signs(20)) {
            NcguardException e = assertThrows(NcguardException.class,
                    () -> scanner().scan(data, null, out, false, () -> false));
            assertTrue(e.getMessage().contains("fewer than one batch of 32"), e.getMessage());
        }
    }

    @Test
    void rejectsDataOfAnotherSize(@TempDir Path out) throws Exception {
        Path file = out.resolve("mnist.onnx");
        OnnxBuilder.image(new ImageShape(1, 28, 28, Layout.NCHW), 13, 1).conv(2, 3, 1, 0).relu().view().dense(3)
                .write(file);
        OnnxModel mnist = OnnxModel.load(file);
        try (ImageSource data = signs(80)) {
            NeuralCleanse nc = new NeuralCleanse(mnist, new Preprocessor(mnist.input().shape()), TINY, 1, 0);
            NcguardException e = assertThrows(NcguardException.class,
                    () -> nc.scan(data, null, out.resolve("scan"), false, () -> false));
            assertTrue(e.getMessage().contains("32") && e.getMessage().contains("28"), e.getMessage());
        }
    }
}
