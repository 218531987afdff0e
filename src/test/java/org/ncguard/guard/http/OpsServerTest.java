package org.ncguard.guard.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.ncguard.NcguardException;
import org.ncguard.guard.Action;
import org.ncguard.guard.DlqReason;
import org.ncguard.guard.GuardMetrics;

/** The operations endpoint: liveness, readiness, and the guard's meters as Prometheus text. */
class OpsServerTest {

    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<String> get(OpsServer s, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + s.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readinessFollowsTheGuardAndMetricsArePrometheusText() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        GuardMetrics metrics = new GuardMetrics(registry);
        metrics.requests("m").increment();
        metrics.action("m", Action.DROP, "7").increment();
        metrics.deadLetter(DlqReason.NOT_AVRO);
        metrics.latency("m").record(java.time.Duration.ofMillis(2));
        AtomicBoolean ready = new AtomicBoolean(false);
        try (OpsServer s = OpsServer.start(0, () -> true, ready::get, registry::scrape)) {
            assertEquals(200, get(s, "/health").statusCode());
            assertEquals(503, get(s, "/ready").statusCode());
            ready.set(true);
            assertEquals(200, get(s, "/ready").statusCode());
            HttpResponse<String> m = get(s, "/metrics");
            assertEquals(200, m.statusCode());
            assertTrue(m.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
            String body = m.body();
            assertTrue(body.contains("ncguard_requests_total{model=\"m\"} 1.0"), body);
            assertTrue(body.contains("ncguard_actions_total{action=\"drop\",label=\"7\",model=\"m\"} 1.0"), body);
            assertTrue(body.contains("ncguard_dlq_total{reason=\"not-avro\"} 1.0"), body);
            assertTrue(body.contains("ncguard_latency_seconds_bucket{model=\"m\",le="), body);
        }
    }

    @Test
    void aTakenPortIsAOneLineUserError() throws Exception {
        try (OpsServer first = OpsServer.start(0, () -> true, () -> true, () -> "")) {
            NcguardException e = assertThrows(NcguardException.class,
                    () -> OpsServer.start(first.port(), () -> true, () -> true, () -> ""));
            assertTrue(e.getMessage().contains("--http-port"), e.getMessage());
        }
    }
}
