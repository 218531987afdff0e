package org.ncguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code experiment} refuses before it trains anything (the tiny run itself is ExperimentTest). */
class ExperimentCommandTest {

    @TempDir
    Path dir;

    @Test
    void aFolderWithFilesNeedsResume() throws Exception {
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        Files.writeString(out.resolve("left-over.txt"), "x");
        CliRun run = CliRun.of("experiment", "--out", out.toString(), "--tasks", "fashion", "--threads", "1");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("--resume"), run.err());
    }

    @Test
    void anUnknownTaskIsExitCode2AndNamesTheTasks() {
        CliRun run = CliRun.of("experiment", "--out", dir.resolve("out").toString(), "--tasks", "mnist",
                "--threads", "1");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("unknown task 'mnist'") && run.err().contains("fashion, signs"), run.err());
    }

    @Test
    void badSizesAreExitCode2() {
        CliRun run = CliRun.of("experiment", "--out", dir.resolve("out").toString(), "--seeds", "0", "--threads",
                "1");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("seeds must be at least 1"), run.err());
        run = CliRun.of("experiment", "--out", dir.resolve("out").toString(), "--scaling", "ten", "--threads", "1");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("--scaling"), run.err());
    }
}
