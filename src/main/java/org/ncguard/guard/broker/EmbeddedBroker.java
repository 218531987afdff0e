package org.ncguard.guard.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.ncguard.NcguardException;

/**
 * Apache Kafka's own server on one node, in this JVM: a generated KRaft configuration (broker and controller in one
 * process), the log directory formatted as {@code kafka-storage format} does it, then {@link KafkaRaftServer}.
 * Internal topics (offsets, transactions) have one replica, so exactly-once Kafka Streams works against it.
 *
 * <pre>
 * try (EmbeddedBroker broker = EmbeddedBroker.start(0, null)) {
 *     String bootstrap = broker.bootstrap(); // localhost:PORT
 * }
 * </pre>
 */
public final class EmbeddedBroker implements AutoCloseable {

    private static final String HOST = "localhost";

    private final KafkaRaftServer server;
    private final int port;
    private final Path dir;
    private final boolean ownsDir;
    private boolean closed;

    private EmbeddedBroker(KafkaRaftServer server, int port, Path dir, boolean ownsDir) {
        this.server = server;
        this.port = port;
        this.dir = dir;
        this.ownsDir = ownsDir;
    }

    /**
     * Starts a broker and waits until it answers.
     *
     * @param port the client port; 0 for a free one
     * @param dir  the log directory, kept across runs; null for a temporary one deleted at {@link #close()}
     * @throws NcguardException when the port is taken or the directory cannot be used
     */
    public static EmbeddedBroker start(int port, Path dir) throws NcguardException {
        return start(port, dir, BrokerSecurity.NONE);
    }

    /**
     * Starts a broker whose client port takes only the logins (and, with ACLs, only the operations) {@code security}
     * allows, and waits until it answers and knows every SCRAM user.
     *
     * @param port the client port; 0 for a free one
     * @param dir  the log directory, kept across runs; null for a temporary one deleted at {@link #close()}
     * @throws NcguardException when the port is taken or the directory cannot be used
     */
    public static EmbeddedBroker start(int port, Path dir, BrokerSecurity security) throws NcguardException {
        if (port < 0 || port > 65535) {
            throw new NcguardException("port must be 0 (a free one) to 65535, found " + port);
        }
        boolean ownsDir = dir == null;
        Path logs;
        try {
            logs = ownsDir ? Files.createTempDirectory("ncguard-broker") : Files.createDirectories(dir);
        } catch (IOException e) {
            throw new NcguardException("cannot create the broker directory " + dir + ": " + e.getMessage(), e);
        }
        int asked = port == 0 ? 0 : requireFree(port);
        int[] free = freePorts(3, asked);
        int clientPort = port == 0 ? free[0] : asked;
        int controllerPort = free[1];
        Path data = logs.toAbsolutePath().resolve("data");
        Properties props = config(data, clientPort, controllerPort);
        Internal internal = null;
        if (security.authenticates()) {
            internal = new Internal(free[2], Uuid.randomUuid().toString());
            props.putAll(secured(clientPort, controllerPort, internal, security));
        }
        if (!Files.exists(data.resolve("meta.properties"))) {
            format(props, logs); // a kept directory is formatted once, on its first run
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            throw new NcguardException("the Kafka broker did not start on port " + clientPort + ": " + e.getMessage(),
                    e);
        }
        EmbeddedBroker broker = new EmbeddedBroker(server, clientPort, logs, ownsDir);
        broker.awaitReady(internal, security);
        return broker;
    }

    /**
     * The broker's own listener and login (broker to broker, broker to controller): SASL PLAIN with a password made
     * for this run, since KRaft controllers cannot check SCRAM logins, whose credentials live in the metadata they
     * serve.
     */
    private record Internal(int port, String password) {

        static final String USER = "ncguard-broker";

        String jaas() {
            return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + USER
                    + "\" password=\"" + password + "\" user_" + USER + "=\"" + password + "\";";
        }

        Properties admin() {
            Properties p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, HOST + ":" + port);
            p.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
            p.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
            p.put(SaslConfigs.SASL_JAAS_CONFIG, jaas());
            return p;
        }
    }

    /** Listeners and logins for {@code security}: SCRAM-SHA-512 on the client port, PLAIN inside. */
    private static Properties secured(int clientPort, int controllerPort, Internal internal, BrokerSecurity security) {
        Properties p = new Properties();
        p.put("listeners", "CLIENT://" + HOST + ":" + clientPort + ",INTERNAL://" + HOST + ":" + internal.port()
                + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "CLIENT://" + HOST + ":" + clientPort + ",INTERNAL://" + HOST + ":"
                + internal.port());
        p.put("listener.security.protocol.map", "CLIENT:SASL_PLAINTEXT,INTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        p.put("inter.broker.listener.name", "INTERNAL");
        p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        p.put("sasl.mechanism.controller.protocol", "PLAIN");
        p.put("listener.name.client.sasl.enabled.mechanisms", BrokerSecurity.MECHANISM);
        p.put("listener.name.client.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        for (String listener : new String[] {"internal", "controller"}) {
            p.put("listener.name." + listener + ".sasl.enabled.mechanisms", "PLAIN");
            p.put("listener.name." + listener + ".plain.sasl.jaas.config", internal.jaas());
        }
        if (security.authorizes()) {
            p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            p.put("allow.everyone.if.no.acl.found", "false");
            p.put("super.users", Stream.concat(Stream.of(Internal.USER), security.superUsers().stream().sorted())
                    .map(u -> "User:" + u).collect(Collectors.joining(";")));
        }
        return p;
    }

    /** The broker settings for one node. */
    static Properties config(Path data, int clientPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + clientPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + clientPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", data.toString());
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        return p;
    }

    private static void format(Properties props, Path dir) throws NcguardException {
        Path configFile = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(configFile)) {
            props.store(out, "ncguard broker: one node, KRaft");
        } catch (IOException e) {
            throw new NcguardException("cannot write " + configFile + ": " + e.getMessage(), e);
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int code;
        try (PrintStream print = new PrintStream(log, true, StandardCharsets.UTF_8)) {
            code = StorageTool.execute(new String[] {"format", "--cluster-id", Uuid.randomUuid().toString(),
                    "--config", configFile.toString()}, print);
        } catch (Exception e) {
            throw new NcguardException("cannot format the broker directory " + dir + ": " + e.getMessage(), e);
        }
        if (code != 0) {
            throw new NcguardException("cannot format the broker directory " + dir + ": "
                    + log.toString(StandardCharsets.UTF_8).trim());
        }
    }

    private void awaitReady(Internal internal, BrokerSecurity security) throws NcguardException {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        try (Admin admin = Admin.create(internal == null ? p : internal.admin())) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
            addScramUsers(admin, security.scramUsers());
        } catch (Exception e) {
            close();
            throw new NcguardException("the Kafka broker on " + bootstrap() + " did not answer: " + e.getMessage(), e);
        }
    }

    /**
     * Creates (or updates) the SCRAM users and waits until the broker knows them all. Done through the admin API
     * rather than at format time, so that a kept directory takes new users and passwords too.
     */
    private static void addScramUsers(Admin admin, Map<String, String> users) throws Exception {
        if (users.isEmpty()) {
            return;
        }
        List<UserScramCredentialAlteration> upserts = new ArrayList<>();
        users.forEach((name, password) -> upserts.add(new UserScramCredentialUpsertion(name,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)));
        admin.alterUserScramCredentials(upserts).all().get(60, TimeUnit.SECONDS);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!known(admin, users.keySet())) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("the SCRAM users " + users.keySet() + " did not appear within 30 s");
            }
            Thread.sleep(50);
        }
    }

    private static boolean known(Admin admin, Set<String> users) throws Exception {
        try {
            return admin.describeUserScramCredentials(List.copyOf(users)).all().get(30, TimeUnit.SECONDS).keySet()
                    .containsAll(users);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ResourceNotFoundException) {
                return false;
            }
            throw e;
        }
    }

    /**
     * {@code n} distinct free ports, none equal to {@code taken}: the sockets stay open until all are found, since a
     * port closed at once can be handed out again by the next lookup (two listeners on one port fail the broker).
     */
    private static int[] freePorts(int n, int taken) throws NcguardException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; ) {
                ServerSocket s = new ServerSocket(0);
                held.add(s);
                if (s.getLocalPort() != taken) {
                    ports[i++] = s.getLocalPort();
                }
            }
            return ports;
        } catch (IOException e) {
            throw new NcguardException("no free port: " + e.getMessage(), e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // only a probe
                }
            }
        }
    }

    private static int requireFree(int port) throws NcguardException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(HOST, port));
            return port;
        } catch (IOException e) {
            throw new NcguardException("port " + port + " is taken (" + e.getMessage() + "); choose another with "
                    + "--port, or 0 for a free one");
        }
    }

    /** {@code localhost:PORT}, for clients' {@code bootstrap.servers}. */
    public String bootstrap() {
        return HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    /** The broker's directory (configuration and logs). */
    public Path dir() {
        return dir;
    }

    /** Blocks until the broker shuts down. */
    public void awaitShutdown() {
        server.awaitShutdown();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
        if (ownsDir) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
