package org.ncguard.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A real Apicurio Registry (3.0.9, in-memory storage) as a child process: the app zip, which Maven resolves as a test
 * dependency, is unpacked once under target/, then run with {@code java -jar} on free ports.
 */
public final class ApicurioRegistry implements AutoCloseable {

    private final Process process;
    private final int port;

    private ApicurioRegistry(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts a registry and waits until its API answers. */
    public static ApicurioRegistry start(Path log) throws Exception {
        Path home = unpacked();
        int port = freePort();
        int management = freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx384m", "-Dquarkus.http.port=" + port,
                "-Dquarkus.http.host=localhost", "-Dquarkus.management.port=" + management,
                "-Dquarkus.management.host=localhost", "-jar", home.resolve("apicurio-registry-app-3.0.9-runner.jar")
                .toString())
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ApicurioRegistry registry = new ApicurioRegistry(p, port);
        HttpClient http = HttpClient.newHttpClient();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < end && p.isAlive()) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(registry.url() + "/system/info"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return registry;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        registry.close();
        throw new IllegalStateException("Apicurio Registry did not start; its output:\n" + Files.readString(log));
    }

    /** The registry's v3 API, {@code http://localhost:PORT/apis/registry/v3}. */
    public String url() {
        return "http://localhost:" + port + "/apis/registry/v3";
    }

    /** The Confluent-compatible API, {@code http://localhost:PORT/apis/ccompat/v7}. */
    public String confluentUrl() {
        return "http://localhost:" + port + "/apis/ccompat/v7";
    }

    private static Path unpacked() throws IOException {
        Path zip = Path.of(System.getProperty("ncguard.apicurio.zip", ""));
        Path dir = Path.of(System.getProperty("ncguard.apicurio.dir", "target/apicurio-registry-3.0.9"));
        Path runner = dir.resolve("apicurio-registry-app-3.0.9-runner.jar");
        if (Files.exists(runner)) {
            return dir;
        }
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("the Apicurio Registry app zip is not at '" + zip + "'; run the tests with "
                    + "Maven, which resolves io.apicurio:apicurio-registry-app:3.0.9:zip:all");
        }
        Path tmp = Files.createTempDirectory(dir.getParent() == null ? Path.of(".") : Files.createDirectories(
                dir.getParent()), "apicurio-unpack");
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                Path out = tmp.resolve(e.getName()).normalize();
                if (!out.startsWith(tmp)) {
                    throw new IOException("zip entry outside its folder: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    try (InputStream in = z.getInputStream(e)) {
                        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        try {
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException raced) {
            if (!Files.exists(runner)) {
                throw raced;
            }
        }
        return dir;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
