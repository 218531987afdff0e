package org.ncguard.guard;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * The Kafka client settings every part of the guard starts from (the brokers plus the user's settings: security,
 * timeouts), and what a refused setting, login or permission means in words a user can act on.
 */
public final class ClientSettings {

    private ClientSettings() {
    }

    /** {@code settings} (from {@code --config}) with {@code bootstrap.servers} set to {@code bootstrap}. */
    public static Properties of(String bootstrap, Map<String, String> settings) {
        Properties p = new Properties();
        p.putAll(settings);
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return p;
    }

    /**
     * The failure's own message and, when it is one the client settings decide (credentials, ACLs, a setting Kafka
     * rejects), where to fix it. Unwraps {@link ExecutionException} and Kafka's "Failed to create ..." wrappers.
     */
    public static String explain(Throwable e) {
        Throwable t = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        if (t instanceof AuthenticationException) {
            return t.getMessage() + " (authentication failed: check the credentials and security settings of "
                    + "--config: security.protocol, sasl.mechanism, sasl.jaas.config, ssl.*)";
        }
        if (t instanceof AuthorizationException) {
            return t.getMessage() + " (the principal of --config lacks an ACL; the README's Kafka security section "
                    + "lists the ACLs each part needs)";
        }
        if (t instanceof ConfigException) {
            return t.getMessage() + (String.valueOf(t.getMessage()).contains(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
                    ? " (fix --bootstrap: HOST:PORT[,HOST:PORT...])" : " (fix that setting in --config)");
        }
        if (t instanceof KafkaException && t.getCause() != null && t.getCause() != t) {
            String inner = explain(t.getCause());
            // A client that cannot be built (JAAS line, key store, login class) has a bad setting.
            boolean building = String.valueOf(t.getMessage()).startsWith("Failed to c");
            return t.getMessage() + ": " + inner + (building && !inner.contains("--config")
                    ? " (check the client settings of --config)" : "");
        }
        // Some of Kafka's errors carry no message: their class is then all that says what went wrong.
        return t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getName() : t.getMessage();
    }
}
