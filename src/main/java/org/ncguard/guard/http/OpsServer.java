package org.ncguard.guard.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.ncguard.NcguardException;

/**
 * {@code /health} (200 while alive), {@code /ready} (200 once running with a model, 503 before) and {@code /metrics}
 * (Prometheus text from the meter registry), on the JDK's HTTP server.
 */
public final class OpsServer implements AutoCloseable {

    /** Content type of the Prometheus text format. */
    public static final String PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    private OpsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Serves the three endpoints on {@code port} (0: a free one).
     *
     * @throws NcguardException when the port is taken
     */
    public static OpsServer start(int port, BooleanSupplier alive, BooleanSupplier ready, Supplier<String> metrics)
            throws NcguardException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (IOException e) {
            throw new NcguardException("cannot serve HTTP on port " + port + " (" + e.getMessage() + "); choose "
                    + "another with --http-port, or 0 for a free one", e);
        }
        server.createContext("/health", x -> status(x, alive.getAsBoolean(), "alive", "not alive"));
        server.createContext("/ready", x -> status(x, ready.getAsBoolean(), "ready", "not ready"));
        server.createContext("/metrics", x -> send(x, 200, PROMETHEUS_TYPE, metrics.get()));
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ncguard-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        return new OpsServer(server, executor);
    }

    private static void status(HttpExchange x, boolean ok, String yes, String no) throws IOException {
        send(x, ok ? 200 : 503, "text/plain; charset=utf-8", (ok ? yes : no) + "\n");
    }

    private static void send(HttpExchange x, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The port served. */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
