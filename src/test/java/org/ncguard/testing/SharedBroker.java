package org.ncguard.testing;

import org.ncguard.NcguardException;
import org.ncguard.guard.broker.EmbeddedBroker;

/** One in-process Kafka broker for every broker test in this JVM, started on first use, stopped at exit. */
public final class SharedBroker {

    private static EmbeddedBroker broker;

    private SharedBroker() {
    }

    /** {@code localhost:PORT} of the shared broker. */
    public static synchronized String bootstrap() throws NcguardException {
        if (broker == null) {
            broker = EmbeddedBroker.start(0, null);
            EmbeddedBroker b = broker;
            Runtime.getRuntime().addShutdownHook(new Thread(b::close, "shared-broker-stop"));
        }
        return broker.bootstrap();
    }
}
