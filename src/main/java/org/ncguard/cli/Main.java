package org.ncguard.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.ncguard.NcguardException;
import org.ncguard.engine.NativeThreads;
import org.ncguard.engine.Versions;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code ncguard} command line: parses, wires, prints. Exit code 2 for anything the user can fix. */
@Command(name = "ncguard",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Backdoor guard for image classifiers: Neural Cleanse offline, a Kafka Streams guard online.",
        subcommands = {DemoCommand.class, InspectCommand.class, AttackCommand.class, EvaluateCommand.class,
                ScanCommand.class, DetectionCommand.class, ExperimentCommand.class, ProfileCommand.class,
                PatchCommand.class, BrokerCommand.class, ServeCommand.class, PublishProfileCommand.class,
                SendCommand.class, ReplayCommand.class, KeygenCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Exit code for bad input: a wrong path, an unsupported model, malformed data. */
    public static final int USAGE_ERROR = 2;

    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Debug logging and full stack traces on errors.")
    void verbose(boolean on) {
        verbose = on;
        logLevels(on);
    }

    private boolean verbose;

    private static void logLevels(boolean verbose) {
        ((Logger) LoggerFactory.getLogger("org.ncguard")).setLevel(verbose ? Level.DEBUG : Level.INFO);
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(verbose ? Level.INFO : Level.WARN);
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        NativeThreads.prepare(); // before anything loads ND4J
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        Main main = new Main();
        logLevels(false);
        CommandLine cli = new CommandLine(main);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof NcguardException) {
                commandLine.getErr().println("ncguard: " + e.getMessage());
                if (main.verbose) {
                    e.printStackTrace(commandLine.getErr());
                }
                return USAGE_ERROR;
            }
            commandLine.getErr().println("ncguard: internal error: " + e);
            if (main.verbose) {
                e.printStackTrace(commandLine.getErr());
            } else {
                commandLine.getErr().println("(run again with --verbose for the stack trace)");
            }
            return 1;
        });
        return cli.execute(args);
    }

    /** Version from the jar manifest, plus the native libraries that decide results and speed. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ncguard " + Versions.ncguard(), "java " + System.getProperty("java.version")};
        }
    }
}
