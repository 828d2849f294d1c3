package io.chargeline.core.alarm;

import io.chargeline.core.NotFoundException;
import io.chargeline.core.Page;
import io.chargeline.core.TimeOrderedIds;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Every change to an alarm goes through here, one at a time, so an operator's acknowledgement and the
 * detector's clearing never overwrite each other, and a charger never has two active alarms of one type.
 * Writes are durable before events go out.
 */
public final class AlarmBook {
    private final AlarmStore store;
    private final Clock clock;
    private final AlarmEvents events;
    private final AlarmMetrics metrics;
    /** Active alarms by charger and type; mirrors the store. */
    private final Map<String, Alarm> active = new HashMap<>();
    private final TimeOrderedIds ids = new TimeOrderedIds();

    public AlarmBook(AlarmStore store, Clock clock, AlarmEvents events, AlarmMetrics metrics) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.events = Objects.requireNonNull(events, "events");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        for (Alarm alarm : store.active()) {
            active.put(key(alarm.chargerId(), alarm.type()), alarm);
        }
    }

    /** Records a new active alarm, unless the charger already has an active one of that type (returned then). */
    public synchronized Alarm raise(Alarm candidate, boolean reportLateness) {
        Alarm existing = active.get(key(candidate.chargerId(), candidate.type()));
        if (existing != null) {
            return existing;
        }
        store.save(candidate);
        active.put(key(candidate.chargerId(), candidate.type()), candidate);
        if (reportLateness && candidate.deadline() != null) {
            metrics.raised(candidate.type(), java.time.Duration.between(candidate.deadline(), candidate.raisedAt()));
        } else {
            metrics.raised(candidate.type(), null);
        }
        events.raised(candidate);
        return candidate;
    }

    /** Clears the charger's active alarm of {@code type}, if any, as of {@code at}. */
    public synchronized Optional<Alarm> clear(String chargerId, AlarmType type, Instant at) {
        Alarm current = active.remove(key(chargerId, type));
        if (current == null) {
            return Optional.empty();
        }
        // re-read: an operator may have acknowledged it since it was raised
        Alarm cleared = store.find(current.id()).orElse(current).cleared(at);
        store.save(cleared);
        metrics.cleared(type);
        events.cleared(cleared);
        return Optional.of(cleared);
    }

    /** Marks the alarm acknowledged by {@code by}; acknowledging twice keeps the first acknowledgement. */
    public synchronized Alarm acknowledge(String id, String by) {
        Alarm alarm = store.find(id).orElseThrow(() -> new NotFoundException("no alarm " + id));
        if (alarm.acknowledgedAt() != null) {
            return alarm;
        }
        Alarm acked = alarm.acknowledged(clock.instant(), by);
        store.save(acked);
        if (acked.isActive()) {
            active.put(key(acked.chargerId(), acked.type()), acked);
        }
        return acked;
    }

    public synchronized Optional<Alarm> active(String chargerId, AlarmType type) {
        return Optional.ofNullable(active.get(key(chargerId, type)));
    }

    public synchronized int activeCount(AlarmType type) {
        return (int) active.values().stream().filter(a -> a.type() == type).count();
    }

    public synchronized int activeCount(String chargerId) {
        int n = 0;
        for (AlarmType type : AlarmType.values()) {
            n += active.containsKey(key(chargerId, type)) ? 1 : 0;
        }
        return n;
    }

    public Optional<Alarm> find(String id) {
        return store.find(id);
    }

    public Page<Alarm> list(AlarmQuery query) {
        return store.list(query);
    }

    /** A new time-ordered alarm id (see {@link TimeOrderedIds}). */
    public String newId(Instant at) {
        return ids.next(at);
    }

    private static String key(String chargerId, AlarmType type) {
        return chargerId + '\u0000' + type;
    }
}
