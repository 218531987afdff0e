package org.ncguard.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.UnknownServerException;
import org.junit.jupiter.api.Test;

/** How a Kafka client's failure reads in a one-line error. */
class ClientSettingsTest {

    @Test
    void aFailureWithoutAMessageIsNamedByItsClass() {
        assertEquals(UnknownServerException.class.getName(),
                ClientSettings.explain(new ExecutionException(new UnknownServerException(""))));
        assertEquals("broker gone", ClientSettings.explain(new ExecutionException(new UnknownServerException(
                "broker gone"))));
    }

    @Test
    void anAuthenticationFailurePointsAtTheSecuritySettings() {
        String line = ClientSettings.explain(new SaslAuthenticationException("bad password"));
        assertTrue(line.startsWith("bad password") && line.contains("sasl.jaas.config"), line);
    }
}
