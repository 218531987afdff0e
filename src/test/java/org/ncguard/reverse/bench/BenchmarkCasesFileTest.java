package org.ncguard.reverse.bench;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ncguard.data.TriggerSpec;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;

/** The committed case list of the detection benchmark: every case parses, builds its trigger, has its clean twin. */
class BenchmarkCasesFileTest {

    private static final Path CASES = Path.of("src/benchmark/detection/cases.csv");

    @Test
    void everyCaseIsWellFormedAndEveryInfectedModelHasItsCleanTwin() throws Exception {
        List<BenchmarkCase> cases = DetectionBenchmark.readCases(CASES);
        assertTrue(cases.size() >= 20, "cases: " + cases.size());
        Set<String> ids = new HashSet<>();
        for (BenchmarkCase c : cases) {
            assertTrue(ids.add(c.id()), "duplicate id " + c.id());
            if (c.infected()) {
                assertTrue(cases.stream().anyMatch(twin -> !twin.infected() && twin.maker().equals(c.maker())
                        && twin.arch().equals(c.arch()) && twin.train().equals(c.train())
                        && twin.trainSeed() == c.trainSeed() && twin.epochs() == c.epochs()),
                        "no clean twin of " + c.id());
                if (c.maker().equals("lab")) {
                    // Lab triggers are attack's own specs (image files relative to the repository root).
                    ImageShape shape = c.arch().equals("mnist") ? new ImageShape(1, 28, 28, Layout.NCHW)
                            : new ImageShape(3, 32, 32, Layout.NCHW);
                    assertDoesNotThrow(() -> TriggerSpec.parse(c.trigger()).build(shape), c.id() + ": " + c.trigger());
                }
            }
        }
        assertTrue(cases.stream().anyMatch(c -> c.trigger().startsWith("image:")), "an image trigger is benchmarked");
    }
}
