package org.ncguard.mitigate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.page.LineChart;
import org.ncguard.profile.GuardProfile;
import org.ncguard.profile.InputSpec;
import org.ncguard.profile.LabelProfile;
import org.ncguard.profile.PenultimateLayer;
import org.ncguard.profile.Roc;
import org.ncguard.profile.RocCurve;

/** profile.html in headless Chromium: the ROC curves and the FNR table must show. */
class ProfilePageBrowserTest {

    private static final int WIDTH = 1200;
    private static final int HEIGHT = 1400;

    @TempDir
    Path dir;

    /** A ROC whose FNR falls from {@code start} to 0 across the stored operating points. */
    static RocCurve curve(double start, double auc) {
        List<RocCurve.Point> points = new java.util.ArrayList<>();
        for (double fpr : RocMath.CURVE_FPRS) {
            points.add(new RocCurve.Point(fpr, Math.max(0, start * (1 - fpr / 0.2))));
        }
        return new RocCurve(auc, points);
    }

    static ProfileBuilder.Result result() {
        RocCurve reversed = curve(0.4, 0.97);
        RocCurve real = curve(0.6, 0.95);
        LabelProfile label = new LabelProfile(7, new int[] {3, 1}, new float[] {2, 1}, new float[] {0, 0},
                new float[] {1, 1}, 1.5, new float[] {4, 1}, 0, 1, new Roc(reversed, real));
        GuardProfile profile = new GuardProfile(GuardProfile.FORMAT_VERSION, "p-1", "2026-11-29T10:00:00Z",
                "ab".repeat(32), 10, new PenultimateLayer("pen", 8),
                new InputSpec("input", "NCHW", 1, 28, 28, 1 / 255f, new float[] {0}, new float[] {1}), 0.05, "ncguard",
                List.of(label), null, Map.of("ncguard", "dev"), null);
        return new ProfileBuilder.Result(profile, List.of(
                new LabelFigures(7, ScoreForm.PAPER, 6, 0.7, 0.047, curve(0.8, 0.9), curve(0.9, 0.88)),
                new LabelFigures(7, ScoreForm.NCGUARD, 2, 1.5, 0.043, reversed, real)));
    }

    @Test
    void showsTheRocCurvesAndTheTable() throws Exception {
        var chromium = org.ncguard.testing.HeadlessChromium.orSkip(dir);
        Path page = dir.resolve("profile.html");
        Files.writeString(page, ProfilePage.render(result(), "m.onnx"), StandardCharsets.UTF_8);

        String dom = chromium.dom(page);
        assertTrue(dom.contains("GUARDING LABEL 7"), "verdict box");
        assertTrue(dom.contains("data-score=\"paper\""), "the paper's filter is in the table");
        assertTrue(dom.contains("data-series=\"ncguard, real trigger\""), "the real trigger's curve");

        BufferedImage image = chromium.screenshot(page, WIDTH, HEIGHT, "profile-screenshot");
        // The legend swatch alone is 18x2 = 36 pixels; a curve across the chart adds a few hundred more.
        for (int series = 0; series < 4; series++) {
            String colour = LineChart.PALETTE.get(series);
            int pixels = org.ncguard.testing.HeadlessChromium.pixelsOf(image, colour);
            assertTrue(pixels > 150, "series " + series + " (" + colour + ") not visible: " + pixels + " pixels");
        }
    }
}
