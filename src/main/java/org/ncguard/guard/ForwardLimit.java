package org.ncguard.guard;

import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The largest forwarded request (key, value and headers) the clean and quarantine topics take: read from the topics
 * at start, and read again after the broker refused a record as too large (the topics' limit changed since), so that
 * the retried request goes to the dead-letter topic instead of being refused again. Shared by every task of an
 * instance; the re-read happens on a stream thread, never in the producer's callback.
 */
public final class ForwardLimit {

    /** Streams config key under which {@link GuardApp} hands the instance's limit to {@link OutputRejectionHandler}. */
    public static final String CONFIG = "ncguard.forward.limit";

    private static final Logger LOG = LoggerFactory.getLogger(ForwardLimit.class);

    private final IntSupplier source;
    private volatile int bytes;
    private volatile boolean stale;

    /**
     * @param bytes  the limit now
     * @param source reads the limit again (from the brokers); null when it cannot change
     */
    public ForwardLimit(int bytes, IntSupplier source) {
        if (bytes < 1) {
            throw new IllegalArgumentException("the forward limit must be positive, found " + bytes);
        }
        this.bytes = bytes;
        this.source = source;
    }

    /** No limit (tests without a broker). */
    public static ForwardLimit none() {
        return new ForwardLimit(Integer.MAX_VALUE, null);
    }

    /** The limit, read again first if a record was refused since the last read. */
    public int bytes() {
        if (stale) {
            reread();
        }
        return bytes;
    }

    private synchronized void reread() {
        if (!stale || source == null) {
            stale = false;
            return;
        }
        try {
            int now = source.getAsInt();
            LOG.info("forwarded requests are now limited to {} bytes (was {})", now, bytes);
            bytes = now;
            stale = false;
        } catch (RuntimeException e) {
            LOG.warn("cannot read the output topics' record limit again; keeping {} bytes: {}", bytes, e.toString());
        }
    }

    /** A record was refused as too large: read the limit again before the next request. */
    public void refused() {
        stale = true;
    }

    /** Key, value and headers, plus a record batch's overhead: what the broker compares to max.message.bytes. */
    public static int size(byte[] key, byte[] value, Iterable<Header> headers) {
        long size = 128L + (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
        for (Header h : headers) {
            size += 8 + h.key().getBytes(StandardCharsets.UTF_8).length + (h.value() == null ? 0 : h.value().length);
        }
        return (int) Math.min(Integer.MAX_VALUE, size);
    }
}
