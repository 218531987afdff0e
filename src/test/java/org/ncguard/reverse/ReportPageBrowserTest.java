package org.ncguard.reverse;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.testing.HeadlessChromium;

/** Renders report.html in headless Chromium: the page must show, not only parse. */
class ReportPageBrowserTest {

    private static final int WIDTH = 1200;
    private static final int HEIGHT = 1600;

    @TempDir
    Path dir;

    private HeadlessChromium chromium;
    private Path reportHtml;

    @BeforeEach
    void writeReport() throws Exception {
        chromium = HeadlessChromium.orSkip(dir);
        ScanFiles files = new ScanFiles(dir.resolve("scan"));
        TriggerStore store = new TriggerStore(files);
        for (int label = 0; label < 10; label++) {
            store.save(ScanFixtures.trigger(label));
        }
        ScanReport report = ScanFixtures.tenLabelReport();
        report.write(files.scanJson());
        ReportPage.write(files, report);
        reportHtml = files.reportHtml();
    }

    @Test
    void screenshotShowsTheChartWithTheFlaggedBar() throws Exception {
        BufferedImage image = chromium.screenshot(reportHtml, WIDTH, HEIGHT, "report-screenshot");
        int colours = HeadlessChromium.colours(image);
        assertTrue(colours >= 20, "page looks blank: " + colours + " distinct colours");
        // The legend swatch alone is 12x12 = 144 pixels; the flagged bar is several thousand.
        int flaggedPixels = HeadlessChromium.pixelsOf(image, L1Chart.FLAGGED);
        assertTrue(flaggedPixels > 1000, "flagged bar not visible: " + flaggedPixels + " pixels of " + L1Chart.FLAGGED);
        int normalPixels = HeadlessChromium.pixelsOf(image, L1Chart.NORMAL);
        assertTrue(normalPixels > 8 * 1000, "ordinary bars not visible: " + normalPixels + " pixels");
    }

    @Test
    void domCarriesTheVerdict() throws Exception {
        String dom = chromium.dom(reportHtml);
        assertTrue(dom.contains("<div class=\"big\">INFECTED</div>"), dom.length() > 2000 ? dom.substring(0, 2000) : dom);
        assertTrue(dom.contains("label <strong>4</strong> is anomalously small"));
        assertTrue(dom.contains("data-label=\"4\""));
    }
}
