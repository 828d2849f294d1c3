package io.chargeline.core;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon thread that runs a pass, then sleeps until the earliest deadline of its queue (at most a second) or a
 * wake-up, and again. A failing pass is logged and the loop goes on. Drives the value rules, command expiry and
 * job rollouts.
 */
public final class DeadlineLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeadlineLoop.class);
    private static final long MAX_SLEEP_MILLIS = 1_000;

    private final String name;
    private final DeadlineQueue<?> queue;
    private final Clock clock;
    private final Runnable pass;
    private volatile boolean running;
    private Thread thread;

    public DeadlineLoop(String name, DeadlineQueue<?> queue, Clock clock, Runnable pass) {
        this.name = name;
        this.queue = queue;
        this.clock = clock;
        this.pass = pass;
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
                queue.await(clock.millis(), MAX_SLEEP_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("{}: pass failed; continuing", name, e);
            }
        }
    }
}
