package org.ncguard.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C for long offline work that polls {@link #cancelled()}: the shutdown hook asks the work to stop and waits
 * (up to a minute) until it has left its files in order and this is closed. The hook must not wait for the command's
 * thread to end: that thread's System.exit would then wait for the hook.
 */
final class StopOnCtrlC implements AutoCloseable {

    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook = new Thread(() -> {
        cancelled.set(true);
        try {
            finished.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    });

    StopOnCtrlC() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Whether Ctrl-C was pressed. */
    boolean cancelled() {
        return cancelled.get();
    }

    /** The work has stopped: lets a waiting hook end the process, or removes the unused hook. */
    @Override
    public void close() {
        finished.countDown();
        if (!cancelled.get()) {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
    }
}
