package org.ncguard.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.ncguard.NcguardException;
import org.ncguard.guard.broker.BrokerSecurity;
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

    @Option(names = "--scram-user", paramLabel = "NAME:PASSWORD",
            description = "A user clients log in as (SASL_PLAINTEXT, SCRAM-SHA-512); with any, the client port takes "
                    + "no other login. Repeatable.")
    List<String> scramUsers = new ArrayList<>();

    @Option(names = "--super-user", paramLabel = "NAME",
            description = "Turn on Kafka's ACL authorizer with this --scram-user above every ACL (to grant the others "
                    + "theirs with kafka-acls or the Admin API). Repeatable.")
    List<String> superUsers = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        EmbeddedBroker broker = EmbeddedBroker.start(port, dir, security());
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "ncguard-broker-stop"));
        System.out.println("bootstrap: " + broker.bootstrap());
        if (!scramUsers.isEmpty()) {
            System.out.println("clients log in with SCRAM-SHA-512 (--config: security.protocol=SASL_PLAINTEXT, "
                    + "sasl.mechanism=SCRAM-SHA-512, sasl.jaas.config=...ScramLoginModule required username=... "
                    + "password=...;)" + (superUsers.isEmpty() ? "" : "; ACLs enforced, super users " + superUsers));
        }
        System.out.println("Ctrl-C stops");
        System.out.flush();
        broker.awaitShutdown();
        return 0;
    }

    private BrokerSecurity security() throws NcguardException {
        try {
            Map<String, String> users = new LinkedHashMap<>();
            for (String spec : scramUsers) {
                Map.Entry<String, String> user = BrokerSecurity.parseUser(spec);
                users.put(user.getKey(), user.getValue());
            }
            if (users.isEmpty()) {
                if (!superUsers.isEmpty()) {
                    throw new NcguardException("--super-user needs --scram-user NAME:PASSWORD for that user");
                }
                return BrokerSecurity.NONE;
            }
            BrokerSecurity scram = BrokerSecurity.scram(users);
            return superUsers.isEmpty() ? scram : scram.withAcls(Set.copyOf(superUsers));
        } catch (IllegalArgumentException e) {
            throw new NcguardException(e.getMessage());
        }
    }
}
