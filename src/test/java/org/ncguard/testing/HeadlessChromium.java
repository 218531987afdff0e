package org.ncguard.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;

/**
 * Headless Chromium for the page tests: the pages must show, not only parse. Tests are skipped when Chromium is not
 * installed, except on CI ({@code CI=true}), which installs it. Set the system property {@code ncguard.screenshotDir}
 * to keep screenshots and pages for a look.
 */
public final class HeadlessChromium {

    private static final long TIMEOUT_SECONDS = 120;

    private final Path executable;
    private final Path dir;

    private HeadlessChromium(Path executable, Path dir) {
        this.executable = executable;
        this.dir = dir;
    }

    /** Chromium working in {@code dir}; aborts the test (skips it) when Chromium is missing outside CI. */
    public static HeadlessChromium orSkip(Path dir) {
        Optional<Path> found = find();
        if (found.isEmpty()) {
            if ("true".equals(System.getenv("CI"))) {
                fail("chromium is not installed, and CI=true: CI must install it (apt-get install chromium)");
            }
            Assumptions.abort("chromium is not installed; skipping the browser check");
        }
        return new HeadlessChromium(found.get(), dir);
    }

    /** The page after Chromium has parsed and laid it out. */
    public String dom(Path page) throws IOException, InterruptedException {
        return run("--dump-dom", page.toUri().toString());
    }

    /** A screenshot of {@code page} at the given window size; kept as {@code keepAs} when asked. */
    public BufferedImage screenshot(Path page, int width, int height, String keepAs)
            throws IOException, InterruptedException {
        Path png = Files.createTempFile(dir, "screenshot", ".png");
        run("--screenshot=" + png, "--window-size=" + width + "," + height, page.toUri().toString());
        String keep = System.getProperty("ncguard.screenshotDir");
        if (keep != null && !keep.isBlank()) {
            Files.createDirectories(Path.of(keep));
            Files.copy(png, Path.of(keep, keepAs + ".png"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(page, Path.of(keep, keepAs + ".html"), StandardCopyOption.REPLACE_EXISTING);
        }
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(width, image.getWidth());
        assertEquals(height, image.getHeight());
        return image;
    }

    /** Pixels of {@code image} within 6 levels per channel of the colour {@code hex} ({@code #rrggbb}). */
    public static int pixelsOf(BufferedImage image, String hex) {
        int target = Integer.parseInt(hex.substring(1), 16);
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if (close(image.getRGB(x, y) & 0xFFFFFF, target)) {
                    count++;
                }
            }
        }
        return count;
    }

    /** Distinct colours in {@code image}: a blank page has a handful. */
    public static int colours(BufferedImage image) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                colours.add(image.getRGB(x, y) & 0xFFFFFF);
            }
        }
        return colours.size();
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
        List<String> command = new ArrayList<>(List.of(executable.toString(), "--headless", "--no-sandbox",
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

    private static Optional<Path> find() {
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
