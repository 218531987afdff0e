package org.ncguard.guard.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.NcguardException;

/** The in-JVM broker listens on the port asked, keeps its directory when given one, and refuses a taken port. */
class EmbeddedBrokerTest {

    @TempDir
    Path dir;

    @Test
    void listensOnThePortAskedAndKeepsTopicsAcrossRestartsInItsDirectory() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path data = dir.resolve("broker");
        try (EmbeddedBroker broker = EmbeddedBroker.start(port, data)) {
            assertEquals("localhost:" + port, broker.bootstrap());
            try (Admin admin = admin(broker)) {
                admin.createTopics(List.of(new NewTopic("kept", Optional.of(3), Optional.empty()))).all()
                        .get(30, TimeUnit.SECONDS);
            }
            NcguardException taken = assertThrows(NcguardException.class, () -> EmbeddedBroker.start(port, null));
            assertTrue(taken.getMessage().contains("port " + port + " is taken"), taken.getMessage());
        }
        assertTrue(Files.exists(data.resolve("server.properties")), "a given directory is kept");
        try (EmbeddedBroker again = EmbeddedBroker.start(0, data); Admin admin = admin(again)) {
            Map<String, ?> topics = admin.describeTopics(List.of("kept")).allTopicNames().get(30, TimeUnit.SECONDS);
            assertEquals(3, ((org.apache.kafka.clients.admin.TopicDescription) topics.get("kept")).partitions().size());
        }
    }

    private static Admin admin(EmbeddedBroker b) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrap());
        return Admin.create(p);
    }
}
