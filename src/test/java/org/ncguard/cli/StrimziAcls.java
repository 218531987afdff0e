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
    // The fields and values of Strimzi's v1 KafkaUser schema (v1 dropped the single 'operation').
    private static final Set<String> RULE_FIELDS = Set.of("resource", "operations", "host", "type");
    private static final Set<String> RESOURCE_FIELDS = Set.of("type", "name", "patternType");
    private static final Set<String> RESOURCE_TYPES = Set.of("topic", "group", "cluster", "transactionalId");
    private static final Set<String> PATTERN_TYPES = Set.of("literal", "prefix");
    private static final Set<String> OPERATIONS = Set.of("Read", "Write", "Create", "Delete", "Alter", "Describe",
            "ClusterAction", "AlterConfigs", "DescribeConfigs", "IdempotentWrite", "All");

    @SuppressWarnings("unchecked")
    static StrimziAcls of(GenericKubernetesResource user) {
        String name = user.getMetadata().getName();
        List<Map<String, Object>> acls = K8sManifests.spec(user, "authorization", "acls");
        List<Rule> rules = acls.stream().map(a -> {
            Map<String, Object> r = (Map<String, Object>) a.get("resource");
            if (!RULE_FIELDS.containsAll(a.keySet()) || r == null || !RESOURCE_FIELDS.containsAll(r.keySet())
                    || !RESOURCE_TYPES.contains(r.get("type"))
                    || !PATTERN_TYPES.contains(r.getOrDefault("patternType", "literal"))
                    || !(a.get("operations") instanceof List<?> ops) || !OPERATIONS.containsAll(ops)) {
                throw new AssertionError(name + ": not a rule of Strimzi's v1 KafkaUser: " + a);
            }
            if (a.containsKey("type") && !"allow".equals(a.get("type"))) {
                throw new AssertionError(name + ": only allow rules are expected, found " + a);
            }
            return new Rule((String) r.get("type"), (String) r.get("name"),
                    (String) r.getOrDefault("patternType", "literal"),
                    Set.copyOf((List<String>) a.get("operations")));
        }).toList();
        return new StrimziAcls(name, rules);
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
