package io.chargeline.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs each retention sweep at start and then every {@code period}; one failing does not stop the others. */
public final class RetentionSweeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionSweeper.class);

    /**
     * One kind of data that expires.
     *
     * @param what what it removes, for the log (e.g. "finished commands")
     * @param expire removes what has expired at the given time; returns how many units went
     */
    public record Sweep(String what, ToIntFunction<Instant> expire) {
        public Sweep {
            Objects.requireNonNull(what, "what");
            Objects.requireNonNull(expire, "expire");
        }
    }

    private final ScheduledExecutorService timer;

    public RetentionSweeper(Clock clock, Duration period, List<Sweep> sweeps) {
        Objects.requireNonNull(clock, "clock");
        List<Sweep> all = List.copyOf(sweeps);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "chargeline-retention");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> sweepAll(all, clock.instant(), period), 0, period.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private static void sweepAll(List<Sweep> sweeps, Instant now, Duration period) {
        for (Sweep sweep : sweeps) {
            try {
                int removed = sweep.expire().applyAsInt(now);
                if (removed > 0) {
                    LOG.info("retention: removed {} {}", removed, sweep.what());
                }
            } catch (RuntimeException e) {
                LOG.warn("retention: sweep of {} failed, next try in {}", sweep.what(), period, e);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
