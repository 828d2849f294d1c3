package io.chargeline.core.timing;

import java.time.Clock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon thread that runs a pass, then sleeps until the earliest deadline of its queue (at most a second) or a
 * wake-up, and again. A failing pass is logged and the loop goes on. Drives the value rules, command expiry,
 * job rollouts and silence detection.
 */
public final class DeadlineLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeadlineLoop.class);
    /** The longest sleep between passes; a pass can rely on running at least this often. */
    public static final long MAX_SLEEP_MILLIS = 1_000;

    private final String name;
    private final DeadlineQueue<?> queue;
    private final Clock clock;
    private final Runnable pass;
    private final BooleanSupplier workLeft;
    private volatile boolean running;
    private Thread thread;

    public DeadlineLoop(String name, DeadlineQueue<?> queue, Clock clock, Runnable pass) {
        this(name, queue, clock, pass, () -> false);
    }

    /**
     * @param workLeft true when a pass left work that is not in the queue (e.g. a retry); the next pass then
     *     runs at once instead of after the sleep
     */
    public DeadlineLoop(String name, DeadlineQueue<?> queue, Clock clock, Runnable pass, BooleanSupplier workLeft) {
        this.name = name;
        this.queue = queue;
        this.clock = clock;
        this.pass = pass;
        this.workLeft = workLeft;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the loop and waits (up to 5 s) for a pass under way. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        if (t != null) {
            queue.wakeUp();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        while (running) {
            try {
                pass.run();
                if (!workLeft.getAsBoolean() && running) {
                    queue.await(clock.millis(), MAX_SLEEP_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("{}: pass failed; continuing", name, e);
            }
        }
    }
}
