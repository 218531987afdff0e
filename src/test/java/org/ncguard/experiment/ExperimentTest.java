package org.ncguard.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.engine.NativeThreads;
import org.ncguard.reverse.LabelResult;
import org.ncguard.reverse.ScanReport;
import org.ncguard.testing.PatchFixtures;

/**
 * The experiment's tiny configuration, end to end on real models: a few hundred Fashion-MNIST and glyph images, two
 * epochs of training, one seed, short scans. Every table and plot must be produced with sane values, and a second run
 * with resume must read every step back. The sizes are the smallest at which a scan flags a planted backdoor, so that
 * the patches run: with one epoch, or a 20-step refinement of the outliers, none was flagged.
 */
class ExperimentTest {

    @TempDir
    static Path dir;

    private static ExperimentSettings settings;
    private static Runs.Outcome outcome;

    @BeforeAll
    static void runTinyExperiment() throws Exception {
        assumeTrue(PatchFixtures.fashionMnist(), "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
        NativeThreads.configure(1);
        settings = tiny(false);
        outcome = Experiment.prepare(settings, System.err).run("ncguard experiment (tiny test configuration)");
    }

    private static ExperimentSettings tiny(boolean resume) {
        return new ExperimentSettings(dir.resolve("out"), dir.resolve("docs"), List.of("fashion", "watermark",
                "glyphs"), 1, resume, 600, 200, 2, 64, 5, 60, 90, 20, List.of(10, 20), 20, 1);
    }

    @Test
    void writesEveryTableAndPlot() throws Exception {
        Path docs = dir.resolve("docs");
        String md = Files.readString(docs.resolve(ResultsWriter.MARKDOWN));
        for (String title : List.of("Table 2", "Fig. 3", "Fig. 4", "Fig. 5a", "Fig. 5b/c", "Table 4", "Scaling",
                "Where the method fails", "The paper's numbers", "ncguard experiment (tiny test configuration)")) {
            assertTrue(md.contains(title), "results.md lacks " + title);
        }
        String html = Files.readString(docs.resolve(ResultsWriter.HTML));
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.contains("data:image/png;base64,"));
        List<String> plots = new ArrayList<>(List.of("fig3-anomaly-index.png", "fig3-l1-norms.png",
                "fig5a-filter.png", "scaling-scan-time.png"));
        outcome.tasks().forEach(t -> plots.add("fig4-triggers-" + t.task().id() + ".png"));
        boolean pruned = outcome.tasks().stream().flatMap(t -> t.seeds().stream()).anyMatch(s -> !s.pruning().isEmpty());
        if (pruned) {
            plots.addAll(List.of("fig5b-pruning-penultimate.png", "fig5c-pruning-conv.png"));
        }
        for (String plot : plots) {
            Path png = docs.resolve(ResultsWriter.FIGURES).resolve(plot);
            BufferedImage image = ImageIO.read(png.toFile());
            assertNotNull(image, plot + " is not a PNG");
            assertTrue(image.getWidth() > 100 && image.getHeight() > 50, plot);
            assertTrue(md.contains(ResultsWriter.FIGURES + "/" + plot), "results.md does not show " + plot);
        }
    }

    @Test
    void tableTwoHoldsShares() {
        assertEquals(3, outcome.tasks().size());
        for (Runs.TaskRun t : outcome.tasks()) {
            for (ModelFigures m : List.of(t.infected(), t.clean())) {
                assertShare(m.accuracy(), t.task().id() + " accuracy");
                assertShare(m.attackSuccess(), t.task().id() + " attack success");
                assertEquals(200, m.samples());
                assertTrue(m.accuracy() > 0.15, t.task().id() + " is no better than chance: " + m.accuracy());
            }
            assertTrue(t.infected().attackSuccess() > t.clean().attackSuccess(),
                    t.task().id() + ": the backdoor did nothing");
        }
    }

    @Test
    void everyScanIsCompleteWithFiniteIndices() {
        for (Runs.TaskRun t : outcome.tasks()) {
            for (Runs.SeedRun s : t.seeds()) {
                for (ScanReport r : List.of(s.infected(), s.clean())) {
                    assertTrue(r.complete());
                    assertTrue(Double.isFinite(DetectionFigure.smallestIndex(r)) && DetectionFigure.smallestIndex(r)
                            >= 0);
                    for (LabelResult l : r.labels()) {
                        assertTrue(!l.converged() || (l.l1() > 0 && Double.isFinite(l.anomalyIndex())), l.toString());
                    }
                }
                assertEquals(t.task().id().equals("glyphs") ? 20 : 10, s.infected().labelCount());
            }
        }
    }

    @Test
    void filterMissesFewerAsItFlagsMore() {
        int measured = 0;
        for (Runs.TaskRun t : outcome.tasks()) {
            for (Runs.SeedRun s : t.seeds()) {
                if (s.filter() == null) {
                    assertFalse(s.notes().isEmpty(), t.task().id() + ": no filter and no note why");
                    continue;
                }
                measured++;
                assertEquals(2, s.filter().forms().size());
                for (FilterFigures.Form f : s.filter().forms()) {
                    for (double[] fnr : List.of(f.reversedFnr(), f.realFnr())) {
                        for (int i = 0; i < fnr.length; i++) {
                            assertShare(fnr[i], "FNR");
                            assertTrue(i == 0 || fnr[i] <= fnr[i - 1], "FNR rises with the FPR: "
                                    + java.util.Arrays.toString(fnr));
                        }
                    }
                    assertShare(f.reversedAuc(), "AUC");
                    assertShare(f.realAuc(), "AUC");
                }
            }
        }
        assertTrue(measured > 0, "no filter was measured");
    }

    @Test
    void patchesAreMeasuredOrExplained() {
        int curves = 0;
        for (Runs.TaskRun t : outcome.tasks()) {
            for (Runs.SeedRun s : t.seeds()) {
                assertEquals(s.unlearning() == null, s.unlearningMore() == null,
                        "both ways of unlearning run, or neither");
                if (s.unlearning() == null) {
                    assertTrue(s.notes().stream().anyMatch(n -> n.startsWith("unlearn")), t.task().id());
                } else {
                    for (UnlearningFigures u : List.of(s.unlearning(), s.unlearningMore())) {
                        for (UnlearningFigures.Row row : List.of(u.before(), u.reversed(), u.real(), u.cleanOnly())) {
                            assertShare(row.accuracy(), "unlearning accuracy");
                            assertShare(row.attackSuccess(), "unlearning attack success");
                        }
                        assertEquals(t.infected().attackSuccess(), u.before().attackSuccess(), 0.05,
                                "the patch measures the same backdoor as Table 2");
                    }
                }
                for (PruningFigures p : s.pruning()) {
                    curves++;
                    assertEquals(0, p.points().get(0).fraction());
                    for (int i = 0; i < p.points().size(); i++) {
                        PruningFigures.Point point = p.points().get(i);
                        assertShare(point.accuracy(), "pruning accuracy");
                        assertShare(point.realAttackSuccess(), "pruning attack success");
                        assertTrue(i == 0 || point.fraction() > p.points().get(i - 1).fraction());
                    }
                }
            }
        }
        assertTrue(curves > 0, "no model was pruned: the tiny configuration should plant a backdoor a scan flags");
    }

    @Test
    void scalingTimesEveryLabelCountBothWays() {
        assertEquals(4, outcome.scaling().size());
        for (Runs.ScalingRun r : outcome.scaling()) {
            assertEquals(r.labels(), r.scan().labelCount());
            assertTrue(r.scan().complete() && r.scan().seconds() > 0);
        }
        assertEquals(List.of("full", "fast5"), outcome.scaling().stream().map(Runs.ScalingRun::mode).distinct()
                .toList());
    }

    @Test
    void resumingReadsEveryStepBack() throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Runs.Outcome again = Experiment.prepare(tiny(true), new PrintStream(progress, true, StandardCharsets.UTF_8))
                .run("ncguard experiment (tiny test configuration) --resume");
        String log = progress.toString(StandardCharsets.UTF_8);
        long steps = log.lines().filter(l -> l.startsWith("[step ")).count();
        long kept = log.lines().filter(l -> l.startsWith("[step ") && l.endsWith("(kept: read back)")).count();
        assertTrue(steps > 20, log);
        assertEquals(steps, kept, "a finished step ran again:\n" + log);
        assertEquals(outcome.tasks().get(0).infected(), again.tasks().get(0).infected());
        assertEquals(2, again.invocations().size());
    }

    private static void assertShare(double v, String what) {
        assertTrue(v >= 0 && v <= 1, what + " out of [0, 1]: " + v);
    }
}
