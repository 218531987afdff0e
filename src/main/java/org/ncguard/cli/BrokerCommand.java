package org.ncguard.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ncguard.guard.broker.EmbeddedBroker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ncguard broker}: a single-node Kafka broker in this JVM, until Ctrl-C. */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Run a single-node Apache Kafka broker (KRaft) in this JVM for trying the guard locally; prints "
                + "'bootstrap: HOST:PORT' and runs until Ctrl-C.")
final class BrokerCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "9092", paramLabel = "PORT",
            description = "Client port (default: ${DEFAULT-VALUE}; 0: a free one).")
    int port;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Log directory, kept across runs (default: a temporary one, deleted at exit).")
    Path dir;

    @Override
    public Integer call() throws Exception {
        EmbeddedBroker broker = EmbeddedBroker.start(port, dir);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "ncguard-broker-stop"));
        System.out.println("bootstrap: " + broker.bootstrap());
        System.out.println("Ctrl-C stops");
        System.out.flush();
        broker.awaitShutdown();
        return 0;
    }
}
