package org.ncguard.guard.broker;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Who may use an {@link EmbeddedBroker}: anyone ({@link #NONE}, plaintext), or only SCRAM-SHA-512 users over
 * SASL_PLAINTEXT ({@link #scram}), optionally with Kafka's ACL authorizer ({@link #withAcls}), under which only the
 * super users may do anything that no ACL allows.
 *
 * @param scramUsers user name to password; empty: no authentication
 * @param superUsers users the authorizer lets do anything; empty: no authorizer (every authenticated user may do
 *                   everything)
 */
public record BrokerSecurity(Map<String, String> scramUsers, Set<String> superUsers) {

    /** Plaintext, no users, no ACLs. */
    public static final BrokerSecurity NONE = new BrokerSecurity(Map.of(), Set.of());

    /** The SASL mechanism of the client listener. */
    public static final String MECHANISM = "SCRAM-SHA-512";

    // Names and passwords go into JAAS lines and Kafka's SCRAM attributes: keep to characters neither quotes.
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._@-]+");

    public BrokerSecurity {
        scramUsers = Map.copyOf(scramUsers == null ? Map.of() : scramUsers);
        superUsers = Set.copyOf(superUsers == null ? Set.of() : superUsers);
        scramUsers.forEach((name, password) -> {
            if (!SAFE.matcher(name).matches() || !SAFE.matcher(password).matches()) {
                throw new IllegalArgumentException("SCRAM user names and passwords take letters, digits and . _ @ -, "
                        + "found user '" + name + "'");
            }
        });
        for (String s : superUsers) {
            if (!scramUsers.containsKey(s)) {
                throw new IllegalArgumentException("super user '" + s + "' is not one of the SCRAM users "
                        + new TreeSet<>(scramUsers.keySet()) + "; give it a password too");
            }
        }
    }

    /** Clients must log in as one of {@code users} (name to password) with SCRAM-SHA-512; no ACLs. */
    public static BrokerSecurity scram(Map<String, String> users) {
        if (users.isEmpty()) {
            throw new IllegalArgumentException("SCRAM needs at least one user");
        }
        return new BrokerSecurity(users, Set.of());
    }

    /** The same users under Kafka's ACL authorizer, with {@code superUsers} (some of the users) above every ACL. */
    public BrokerSecurity withAcls(Set<String> superUsers) {
        if (superUsers.isEmpty()) {
            throw new IllegalArgumentException("ACLs need a super user to grant them");
        }
        return new BrokerSecurity(scramUsers, superUsers);
    }

    /**
     * Parses {@code NAME:PASSWORD}.
     *
     * @throws IllegalArgumentException naming the expected form
     */
    public static Map.Entry<String, String> parseUser(String spec) {
        int colon = spec.indexOf(':');
        if (colon <= 0 || colon == spec.length() - 1) {
            throw new IllegalArgumentException("a SCRAM user is NAME:PASSWORD, found '" + spec + "'");
        }
        return Map.entry(spec.substring(0, colon), spec.substring(colon + 1));
    }

    public boolean authenticates() {
        return !scramUsers.isEmpty();
    }

    public boolean authorizes() {
        return !superUsers.isEmpty();
    }

    /** The client settings (a {@code --config} file's content) that log in as {@code user} with {@code password}. */
    public static Map<String, String> clientSettings(String user, String password) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("security.protocol", "SASL_PLAINTEXT");
        p.put("sasl.mechanism", MECHANISM);
        p.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + password + "\";");
        return p;
    }

    /** Names only: passwords stay out of logs. */
    @Override
    public String toString() {
        return "BrokerSecurity[users=" + new TreeSet<>(scramUsers.keySet()) + ", superUsers="
                + new TreeSet<>(superUsers) + "]";
    }
}
