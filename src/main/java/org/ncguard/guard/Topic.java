package org.ncguard.guard;

import org.apache.kafka.common.serialization.Serde;

/**
 * A Kafka topic as a value: its name and how its keys and values are written.
 *
 * @param name  topic name
 * @param key   key serde
 * @param value value serde
 * @param <K>   key type
 * @param <V>   value type
 */
public record Topic<K, V>(String name, Serde<K> key, Serde<V> value) {

    public Topic {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("topic name is required, found '" + name + "'");
        }
        if (key == null || value == null) {
            throw new IllegalArgumentException("topic " + name + " needs a key and a value serde");
        }
    }
}
