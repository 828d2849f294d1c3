package io.chargeline.core.timing;

import io.chargeline.core.OverloadedException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that runs a component's state changes one at a time, in order, from a bounded queue: no locks in
 * the component, and a caller finds out at once when it is swamped ({@link OverloadedException}).
 */
public final class SerialWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SerialWorker.class);

    private final String name;
    private final ThreadPoolExecutor thread;
    /** Work handed over and not finished yet (see {@link #drain}). */
    private final AtomicInteger unfinished = new AtomicInteger();

    public SerialWorker(String name, int maxQueued) {
        this.name = name;
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(maxQueued), r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code work} on the worker and waits for it; its exceptions reach the caller. */
    public <T> T call(Callable<T> work) {
        unfinished.incrementAndGet();
        try {
            return thread.submit(() -> {
                try {
                    return work.call();
                } finally {
                    unfinished.decrementAndGet();
                }
            }).get();
        } catch (RejectedExecutionException e) {
            unfinished.decrementAndGet();
            throw new OverloadedException(name + ": too many changes waiting; retry later");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OverloadedException(name + ": interrupted while waiting");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Queues {@code work} without waiting; false when the queue is full. Failures are logged. */
    public boolean offer(Runnable work) {
        unfinished.incrementAndGet();
        try {
            thread.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    LOG.error("{}: a change failed", name, e);
                } finally {
                    unfinished.decrementAndGet();
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            unfinished.decrementAndGet();
            LOG.warn("{}: queue full; a change is left for a later event", name);
            return false;
        }
    }

    /** Waits until the worker has nothing left to do, including work that work queued. For tests. */
    public void drain() {
        do {
            call(() -> null);
        } while (unfinished.get() > 0);
    }

    /** Finishes what is queued (up to 10 s), then stops. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
