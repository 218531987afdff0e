package org.ncguard.guard;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The guard's own meters, by Micrometer (scraped as Prometheus text at {@code /metrics}): requests, actions per model,
 * action and predicted label, latency histogram, dead-letter records per reason, profile versions and refusals.
 * Meters are looked up once and cached, not per record.
 */
public final class GuardMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public GuardMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Metrics kept for a Prometheus scrape. */
    public static GuardMetrics prometheus() {
        return new GuardMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** {@code ncguard_requests_total{model}}: requests scored (dead-lettered ones excluded). */
    public Counter requests(String model) {
        return counters.computeIfAbsent("r|" + model, k -> Counter.builder("ncguard.requests")
                .description("Requests scored by the guard").tag("model", model).register(registry));
    }

    /** {@code ncguard_actions_total{model,action,label}}: actions by predicted label ({@code none}: activations only). */
    public Counter action(String model, Action action, String label) {
        return counters.computeIfAbsent("a|" + model + "|" + action + "|" + label, k -> Counter
                .builder("ncguard.actions").description("Guard actions by model, action and predicted label")
                .tag("model", model).tag("action", action.wire()).tag("label", label).register(registry));
    }

    /** {@code ncguard_latency_seconds{model}}: time in the guard per request (decode, preprocess, score), histogram. */
    public Timer latency(String model) {
        return timers.computeIfAbsent(model, k -> Timer.builder("ncguard.latency")
                .description("Time spent in the guard per request").tag("model", model)
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(1)).register(registry));
    }

    /** {@code ncguard_dlq_total{reason}}: requests sent to the dead-letter topic. */
    public void deadLetter(DlqReason reason) {
        counters.computeIfAbsent("d|" + reason, k -> Counter.builder("ncguard.dlq")
                .description("Requests sent to the dead-letter topic, by reason").tag("reason", reason.wire())
                .register(registry)).increment();
    }

    /** {@code ncguard_profiles_refused_total{reason}}: profiles the guard did not apply. */
    public void profileRefused(String reason) {
        counters.computeIfAbsent("p|" + reason, k -> Counter.builder("ncguard.profiles.refused")
                .description("Profiles refused, by reason").tag("reason", reason).register(registry)).increment();
    }

    /** {@code ncguard_profile_version{model}}: how many profiles the model has had applied (0: none yet). */
    public <T> void profileVersion(String model, T source, ToDoubleFunction<T> version) {
        Gauge.builder("ncguard.profile.version", source, version)
                .description("Number of profiles applied to the model since start (0: none)").tag("model", model)
                .register(registry);
    }
}
