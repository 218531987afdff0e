package org.ncguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command's help prints cleanly: picocli warns (and prints raw text) when a description has a stray '%'. */
class HelpTest {

    @Test
    void everyCommandHasCleanHelp() {
        List<String> commands = new ArrayList<>();
        new CommandLine(new Main()).getSubcommands().forEach((name, cli) -> {
            commands.add(name);
            cli.getSubcommands().keySet().forEach(sub -> commands.add(name + " " + sub)); // scan merge
        });
        assertTrue(commands.contains("demo") && commands.contains("serve") && commands.contains("scan merge"),
                commands.toString());
        for (String command : commands) {
            if (command.equals("help")) {
                continue;
            }
            CliRun run = CliRun.of((command + " --help").split(" "));
            assertEquals(0, run.exitCode(), command + ": " + run.err());
            assertTrue(run.out().contains("Usage: ncguard " + command), command + ": " + run.out());
            assertFalse((run.out() + run.err()).contains("picocli WARN"), command + ": " + run.out() + run.err());
        }
    }
}
