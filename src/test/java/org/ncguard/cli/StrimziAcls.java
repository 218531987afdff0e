package org.ncguard.cli;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A Strimzi KafkaUser's simple-authorization rules, and what Kafka's authorizer would make of them. */
record StrimziAcls(String user, List<Rule> rules) {

    /** One allow rule: a resource pattern and its operations. */
    record Rule(String type, String name, String patternType, Set<String> operations) {

        /** Whether this rule lets {@code operation} on resource {@code type}/{@code name} through. */
        boolean allows(String resourceType, String resourceName, String operation) {
            if (!type.equals(resourceType)) {
                return false;
            }
            boolean nameMatches = type.equals("cluster") || "*".equals(name)
                    || (patternType.equals("prefix") ? resourceName.startsWith(name) : resourceName.equals(name));
            return nameMatches && (operations.contains("All") || operations.contains(operation)
                    || (operation.equals("Describe") && operations.stream().anyMatch(DESCRIBE_IMPLIED_BY::contains))
                    || (operation.equals("DescribeConfigs") && operations.contains("AlterConfigs")));
        }

        /** One line per operation, {@code type:patternType:name:operation}, for comparing rule sets. */
        List<String> lines() {
            return operations.stream().map(op -> type + ":" + patternType + ":" + (name == null ? "" : name) + ":" + op)
                    .toList();
        }
    }

    // Kafka's authorizer: Read, Write, Delete and Alter each allow Describe.
    private static final Set<String> DESCRIBE_IMPLIED_BY = Set.of("Read", "Write", "Delete", "Alter");

    @SuppressWarnings("unchecked")
    static StrimziAcls of(GenericKubernetesResource user) {
        List<Map<String, Object>> acls = K8sManifests.spec(user, "authorization", "acls");
        List<Rule> rules = acls.stream().map(a -> {
            Map<String, Object> r = (Map<String, Object>) a.get("resource");
            if (a.containsKey("type") && !"allow".equals(a.get("type"))) {
                throw new AssertionError(user.getMetadata().getName() + ": only allow rules are expected, found " + a);
            }
            return new Rule((String) r.get("type"), (String) r.get("name"),
                    (String) r.getOrDefault("patternType", "literal"),
                    Set.copyOf((List<String>) a.get("operations")));
        }).toList();
        return new StrimziAcls(user.getMetadata().getName(), rules);
    }

    boolean allows(String type, String name, String operation) {
        return rules.stream().anyMatch(r -> r.allows(type, name, operation));
    }

    /** Every rule as sorted {@code type:patternType:name:operation} lines. */
    Set<String> lines() {
        Set<String> out = new TreeSet<>();
        rules.forEach(r -> out.addAll(r.lines()));
        return out;
    }
}
