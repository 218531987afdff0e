package org.ncguard.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Models exported by real PyTorch ({@code src/test/python/export_torch_fixtures.py}), generated once per test run
 * into {@code target/torch-fixtures}. Needs Debian's python3-torch and python3-onnx: without them the tests that
 * use these fixtures are skipped, except under CI ({@code CI=true}), where a missing exporter is a failure.
 */
public final class TorchFixtures {

    private static final Path DIR = Path.of("target", "torch-fixtures");
    private static final String PYTHON = "/usr/bin/python3";
    private static JsonNode manifest;
    private static String unavailable;

    private TorchFixtures() {}

    /** One exported model with its recorded PyTorch outputs and input gradients. */
    public record Fixture(String name, Path file, JsonNode spec) {
        @Override
        public String toString() {
            return name;
        }
    }

    public static synchronized JsonNode manifest() {
        if (manifest == null && unavailable == null) {
            export();
        }
        if (unavailable != null) {
            if ("true".equals(System.getenv("CI"))) {
                fail("PyTorch fixtures are required in CI: " + unavailable);
            }
            assumeTrue(false, "PyTorch fixtures unavailable: " + unavailable);
        }
        return manifest;
    }

    public static List<Fixture> fixtures() {
        List<Fixture> list = new ArrayList<>();
        manifest().get("fixtures").forEach(f -> list.add(new Fixture(f.get("name").asText(),
                DIR.resolve(f.get("file").asText()), f)));
        return list;
    }

    public static List<Fixture> bad() {
        List<Fixture> list = new ArrayList<>();
        manifest().get("bad").forEach(f -> list.add(new Fixture(f.get("name").asText(),
                DIR.resolve(f.get("file").asText()), f)));
        return list;
    }

    public static Fixture named(String name) {
        return fixtures().stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no torch fixture " + name));
    }

    private static void export() {
        Path script = Path.of("src", "test", "python", "export_torch_fixtures.py");
        try {
            Path done = DIR.resolve("manifest.json");
            if (!Files.exists(done) || Files.getLastModifiedTime(done).compareTo(Files.getLastModifiedTime(script)) < 0) {
                if (!Files.isExecutable(Path.of(PYTHON))) {
                    unavailable = PYTHON + " not found (apt-get install python3-torch python3-onnx)";
                    return;
                }
                Files.createDirectories(DIR);
                Process p = new ProcessBuilder(PYTHON, script.toString(), DIR.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(DIR.resolve("export.log").toFile())
                        .start();
                if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                    p.destroyForcibly();
                    unavailable = "the exporter failed (apt-get install python3-torch python3-onnx); log: "
                            + Files.readString(DIR.resolve("export.log")).lines().reduce((a, b) -> b).orElse("");
                    return;
                }
            }
            manifest = new ObjectMapper().readTree(done.toFile());
        } catch (IOException e) {
            unavailable = "cannot run the exporter: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unavailable = "interrupted";
        }
    }

    public static float[] floats(JsonNode array) {
        float[] v = new float[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) array.get(i).asDouble();
        }
        return v;
    }
}
