package io.chargeline.core.alarm;

import io.chargeline.core.timing.DeadlineLoop;
import io.chargeline.core.timing.DeadlineQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises a SILENT alarm when a charger's last telemetry is older than its threshold, and clears it when
 * telemetry arrives again. Deadline-driven: one timer entry per charger in a priority queue, and one thread
 * that sleeps until the earliest deadline, so an alarm is raised milliseconds after it is due whatever the
 * fleet size, without periodic scans.
 *
 * <p>Liveness is judged on the time the server received telemetry, never on the timestamp inside it: a
 * charger with a wrong clock is still alive when it sends, and one replaying old data is not silent.
 *
 * <p>Receiving telemetry costs a map lookup and an atomic update; the queue is touched only when a charger is
 * first seen or its alarm clears. A timer entry that fires early (because telemetry moved the deadline) is
 * simply re-armed at the new deadline.
 */
public final class SilenceDetector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SilenceDetector.class);
    /**
     * The liveness mark is written this often; it tells a restart when the server stopped. The loop runs a pass
     * at least this often ({@link DeadlineLoop#MAX_SLEEP_MILLIS}).
     */
    static final Duration ALIVE_MARK_PERIOD = Duration.ofMillis(DeadlineLoop.MAX_SLEEP_MILLIS);

    private final AlarmBook book;
    private final AlarmStore store;
    private final Clock clock;
    private final Duration defaultThreshold;
    private final ConcurrentHashMap<String, Charger> chargers = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> toClear = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> toUntrack = new ConcurrentLinkedQueue<>();
    private final DeadlineQueue<Charger> timers = new DeadlineQueue<>();
    /** Runs {@link #runDue}; while clears wait to be retried it runs again at once instead of sleeping. */
    private final DeadlineLoop loop;
    private Instant lastAliveMark = Instant.EPOCH;

    public SilenceDetector(AlarmBook book, AlarmStore store, Clock clock, Duration defaultThreshold) {
        this.book = Objects.requireNonNull(book, "book");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.defaultThreshold = requirePositive(defaultThreshold);
        this.loop = new DeadlineLoop("chargeline-silence-detector", timers, clock, this::runDue,
                () -> !toClear.isEmpty() || !toUntrack.isEmpty());
    }

    /**
     * Re-arms every charger from its stored last-receive time. A charger that was already overdue when the
     * server stopped gets its alarm right away. Any other gets at least its threshold from now: while the
     * server was down no charger could send, so the downtime never counts as silence (no alarm storm after a
     * restart).
     */
    public void recover(Map<String, Instant> lastReceived) {
        Instant now = clock.instant();
        Optional<Instant> stoppedAt = store.lastAlive();
        Map<String, Duration> overrides = store.silenceThresholds();
        lastReceived.forEach((id, seen) -> {
            Charger c = chargers.computeIfAbsent(id, Charger::new);
            c.lastSeenMillis.accumulateAndGet(seen.toEpochMilli(), Math::max);
            c.threshold = overrides.get(id);
            if (book.active(id, AlarmType.SILENT).isPresent()) {
                c.silent = true;
                return; // cleared by the next telemetry
            }
            Instant deadline = deadlineOf(c);
            if (stoppedAt.isEmpty() || deadline.isAfter(stoppedAt.get())) {
                c.notBeforeMillis = now.plus(thresholdOf(c)).toEpochMilli();
            } else {
                c.caughtUp = true; // overdue before the stop: raise now, but it says nothing about our lateness
            }
            arm(c, deadlineOf(c));
        });
        overrides.forEach((id, threshold) -> chargers.computeIfAbsent(id, Charger::new).threshold = threshold);
        LOG.info("alarms: tracking {} chargers (default silence threshold {}, last alive {})", lastReceived.size(),
                defaultThreshold, stoppedAt.map(Instant::toString).orElse("never"));
    }

    /** Starts the timer thread. */
    public void start() {
        loop.start();
    }

    /** Called for every accepted telemetry message, from any thread. */
    public void telemetryReceived(String chargerId, Instant receivedAt) {
        Charger c = chargers.get(chargerId);
        if (c == null) {
            c = chargers.computeIfAbsent(chargerId, Charger::new);
        }
        c.lastSeenMillis.accumulateAndGet(receivedAt.toEpochMilli(), Math::max);
        c.untracked = false; // provisioned again: only chargers that may send reach here
        if (c.silent) {
            toClear.add(chargerId);
            timers.wakeUp();
        } else if (!c.armed) {
            arm(c, deadlineOf(c));
        }
    }

    /** The charger's threshold: its override, or the default. */
    public Duration threshold(String chargerId) {
        Charger c = chargers.get(chargerId);
        return c == null || c.threshold == null ? defaultThreshold : c.threshold;
    }

    /** Whether the charger has its own threshold. */
    public boolean hasOverride(String chargerId) {
        Charger c = chargers.get(chargerId);
        return c != null && c.threshold != null;
    }

    /**
     * Stops watching a charger (it was revoked): its timer goes and no SILENT alarm is raised for it until it
     * sends telemetry again. Its last-seen time stays. Takes effect on the detector thread, within a pass.
     */
    public void untrack(String chargerId) {
        toUntrack.add(chargerId);
        timers.wakeUp();
    }

    /** Sets (or with null removes) a charger's own threshold; durable, and its deadline moves at once. */
    public void setThreshold(String chargerId, Duration threshold) {
        if (threshold != null) {
            requirePositive(threshold);
        }
        store.saveSilenceThreshold(chargerId, threshold);
        Charger c = chargers.computeIfAbsent(chargerId, Charger::new);
        c.threshold = threshold;
        if (c.lastSeenMillis.get() != Long.MIN_VALUE && !c.silent) {
            arm(c, deadlineOf(c)); // an earlier deadline needs its own timer; a later one re-arms when it fires
        }
    }

    /** Receive time of the charger's last telemetry, if any since the store began. */
    public Optional<Instant> lastSeen(String chargerId) {
        Charger c = chargers.get(chargerId);
        return c == null || c.lastSeenMillis.get() == Long.MIN_VALUE
                ? Optional.empty() : Optional.of(Instant.ofEpochMilli(c.lastSeenMillis.get()));
    }

    /** Chargers that have sent telemetry and are watched for silence (not revoked). */
    public int tracked() {
        return (int) chargers.values().stream()
                .filter(c -> c.lastSeenMillis.get() != Long.MIN_VALUE && !c.untracked)
                .count();
    }

    /**
     * Clears what telemetry has cleared and raises what is due at the clock's now. The timer thread calls
     * this; tests with a controlled clock call it directly.
     *
     * @return the next deadline, if any
     */
    public Optional<Instant> runDue() {
        Instant now = clock.instant();
        untrackRevoked();
        clearResumed();
        List<Charger> due = timers.takeDue(now.toEpochMilli());
        for (Charger c : due) {
            c.armed = false;
        }
        for (Charger c : due) {
            evaluate(c, now);
        }
        markAlive(now);
        return timers.next().map(Instant::ofEpochMilli);
    }

    private void untrackRevoked() {
        String id;
        while ((id = toUntrack.poll()) != null) {
            Charger c = chargers.get(id);
            if (c != null) {
                c.untracked = true;
                c.armed = false;
                timers.disarm(c);
            }
        }
    }

    private void evaluate(Charger c, Instant now) {
        if (c.silent || c.untracked) {
            return;
        }
        Instant deadline = deadlineOf(c);
        if (now.isBefore(deadline)) {
            arm(c, deadline); // telemetry arrived since this timer was set
            return;
        }
        long seen = c.lastSeenMillis.get();
        Alarm alarm = Alarm.silent(book.newId(now), c.id, now, deadline, Instant.ofEpochMilli(seen), thresholdOf(c));
        c.silent = true;
        try {
            if (book.raise(alarm, !c.caughtUp).isEmpty()) {
                c.silent = false;
                c.untracked = true; // revoked, and told so before the detector was
                return;
            }
        } catch (RuntimeException e) {
            c.silent = false;
            LOG.error("{} is silent but its alarm could not be stored; retrying in 1 s", c.id, e);
            arm(c, now.plusSeconds(1));
            return;
        }
        c.caughtUp = false;
        LOG.info("{} silent: no telemetry since {} (threshold {})", c.id, alarm.lastTelemetryAt(), alarm.threshold());
        if (c.lastSeenMillis.get() != seen) {
            toClear.add(c.id); // telemetry arrived while the alarm was being raised
        }
    }

    private void clearResumed() {
        String id;
        while ((id = toClear.poll()) != null) {
            Charger c = chargers.get(id);
            if (c == null || !c.silent) {
                continue;
            }
            Optional<Alarm> active = book.active(id, AlarmType.SILENT);
            long seen = c.lastSeenMillis.get();
            if (active.isPresent() && active.get().lastTelemetryAt() != null
                    && seen <= active.get().lastTelemetryAt().toEpochMilli()) {
                continue; // nothing newer than what the alarm already knew
            }
            try {
                book.clearSilent(id, Instant.ofEpochMilli(seen));
            } catch (RuntimeException e) {
                LOG.error("{} sent telemetry but its alarm could not be cleared; retrying", id, e);
                toClear.add(id);
                return;
            }
            c.silent = false;
            c.notBeforeMillis = Long.MIN_VALUE;
            LOG.info("{} sends again; silence alarm cleared", id);
            arm(c, deadlineOf(c));
        }
    }

    /** Sets the charger's timer, unless an earlier one will look at it first. */
    private void arm(Charger c, Instant deadline) {
        timers.arm(c, deadline.toEpochMilli());
        c.armed = true;
    }

    private void markAlive(Instant now) {
        if (Duration.between(lastAliveMark, now).compareTo(ALIVE_MARK_PERIOD) >= 0 || now.isBefore(lastAliveMark)) {
            try {
                store.markAlive(now);
                lastAliveMark = now;
            } catch (RuntimeException e) {
                LOG.warn("alarms: could not write the liveness mark: {}", e.getMessage());
            }
        }
    }

    private Duration thresholdOf(Charger c) {
        return c.threshold == null ? defaultThreshold : c.threshold;
    }

    private Instant deadlineOf(Charger c) {
        long byTelemetry = c.lastSeenMillis.get() + thresholdOf(c).toMillis();
        return Instant.ofEpochMilli(Math.max(byTelemetry, c.notBeforeMillis));
    }

    private static Duration requirePositive(Duration threshold) {
        Objects.requireNonNull(threshold, "threshold");
        if (threshold.isNegative() || threshold.isZero()) {
            throw new IllegalArgumentException("a silence threshold must be positive, was " + threshold);
        }
        return threshold;
    }

    @Override
    public void close() {
        loop.close();
        try {
            store.markAlive(clock.instant());
        } catch (RuntimeException e) {
            LOG.warn("alarms: could not write the final liveness mark: {}", e.getMessage());
        }
    }

    /** One tracked charger. */
    private static final class Charger {
        final String id;
        /** Receive time of the newest telemetry, epoch ms; MIN_VALUE until the first. */
        final AtomicLong lastSeenMillis = new AtomicLong(Long.MIN_VALUE);
        /** The grace after a restart: no alarm before this, epoch ms. */
        volatile long notBeforeMillis = Long.MIN_VALUE;
        volatile Duration threshold;
        /** An active SILENT alarm exists; only the detector thread (and recovery) sets it. */
        volatile boolean silent;
        /** A timer is pending: a hint read without a lock on the hot path (see {@link #telemetryReceived}). */
        volatile boolean armed;
        /** The next alarm catches up with downtime; its lateness is not the detector's. */
        boolean caughtUp;
        /** Revoked: not watched until it sends again (after being provisioned anew). */
        volatile boolean untracked;

        Charger(String id) {
            this.id = id;
        }
    }
}
