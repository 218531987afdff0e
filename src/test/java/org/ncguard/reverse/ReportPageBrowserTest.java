package org.ncguard.reverse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders report.html in headless Chromium: the page must show, not only parse. Skipped when Chromium is not
 * installed, except on CI ({@code CI=true}), which installs it. Set the system property
 * {@code ncguard.screenshotDir} to keep the screenshot and the page for a look.
 */
class ReportPageBrowserTest {

    private static final long TIMEOUT_SECONDS = 120;
    private static final int WIDTH = 1200;
    private static final int HEIGHT = 1600;

    @TempDir
    Path dir;

    private Path chromium;
    private Path reportHtml;

    @BeforeEach
    void writeReport() throws Exception {
        chromium = findChromium().orElse(null);
        if (chromium == null) {
            if ("true".equals(System.getenv("CI"))) {
                fail("chromium is not installed, and CI=true: CI must install it (apt-get install chromium)");
            }
            Assumptions.abort("chromium is not installed; skipping the browser check");
        }
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
        Path png = dir.resolve("screenshot.png");
        run("--screenshot=" + png, "--window-size=" + WIDTH + "," + HEIGHT, reportHtml.toUri().toString());
        assertTrue(Files.size(png) > 0, "no screenshot written");
        String keep = System.getProperty("ncguard.screenshotDir");
        if (keep != null && !keep.isBlank()) {
            Files.createDirectories(Path.of(keep));
            Files.copy(png, Path.of(keep, "report-screenshot.png"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(reportHtml, Path.of(keep, "report.html"), StandardCopyOption.REPLACE_EXISTING);
        }

        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(WIDTH, image.getWidth());
        assertEquals(HEIGHT, image.getHeight());
        Set<Integer> colours = new HashSet<>();
        int flaggedPixels = 0;
        int normalPixels = 0;
        int flagged = Integer.parseInt(L1Chart.FLAGGED.substring(1), 16);
        int normal = Integer.parseInt(L1Chart.NORMAL.substring(1), 16);
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                if (close(rgb, flagged)) {
                    flaggedPixels++;
                } else if (close(rgb, normal)) {
                    normalPixels++;
                }
            }
        }
        assertTrue(colours.size() >= 20, "page looks blank: " + colours.size() + " distinct colours");
        // The legend swatch alone is 12x12 = 144 pixels; the flagged bar is several thousand.
        assertTrue(flaggedPixels > 1000, "flagged bar not visible: " + flaggedPixels + " pixels of " + L1Chart.FLAGGED);
        assertTrue(normalPixels > 8 * 1000, "ordinary bars not visible: " + normalPixels + " pixels");
    }

    @Test
    void domCarriesTheVerdict() throws Exception {
        String dom = run("--dump-dom", reportHtml.toUri().toString());
        assertTrue(dom.contains("<div class=\"big\">INFECTED</div>"), dom.length() > 2000 ? dom.substring(0, 2000) : dom);
        assertTrue(dom.contains("label <strong>4</strong> is anomalously small"));
        assertTrue(dom.contains("data-label=\"4\""));
    }

    private static boolean close(int rgb, int target) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs(((rgb >> shift) & 0xFF) - ((target >> shift) & 0xFF)) > 6) {
                return false;
            }
        }
        return true;
    }

    /** Runs headless Chromium with the given arguments and returns its standard output; kills it on timeout. */
    private String run(String... args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "chromium", ".out");
        Path err = Files.createTempFile(dir, "chromium", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                fail("chromium did not finish within " + TIMEOUT_SECONDS + " s; stderr: " + tail(err));
            }
            assertEquals(0, process.exitValue(), "chromium failed; stderr: " + tail(err));
            return Files.readString(out);
        } finally {
            // Children first: once the main process is gone they are no longer its descendants.
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String tail(Path file) throws IOException {
        String text = Files.readString(file);
        return text.length() > 3000 ? text.substring(text.length() - 3000) : text;
    }

    private static Optional<Path> findChromium() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String name : List.of("chromium", "chromium-browser")) {
            for (String entry : path.split(File.pathSeparator)) {
                Path candidate = Path.of(entry, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
