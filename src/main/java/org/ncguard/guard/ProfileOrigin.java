package org.ncguard.guard;

/**
 * Where a profile came from, for messages and alerts.
 *
 * @param topic     the profiles topic, or the file's path
 * @param partition the record's partition; -1 for a file
 * @param offset    the record's offset; -1 for a file
 */
public record ProfileOrigin(String topic, int partition, long offset) {

    public ProfileOrigin {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("a profile origin needs a topic or file, found '" + topic + "'");
        }
    }

    /** A profile file. */
    public static ProfileOrigin file(String path) {
        return new ProfileOrigin(path, -1, -1);
    }

    @Override
    public String toString() {
        return partition < 0 ? topic : topic + "-" + partition + "@" + offset;
    }
}
