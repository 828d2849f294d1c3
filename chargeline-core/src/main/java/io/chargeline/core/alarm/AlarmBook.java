package io.chargeline.core.alarm;

import io.chargeline.core.NotFoundException;
import io.chargeline.core.Page;
import io.chargeline.core.timing.TimeOrderedIds;
import io.chargeline.core.webhook.WebhookEventType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every change to an alarm goes through here, one at a time, so an operator's acknowledgement and the
 * detector's clearing never overwrite each other, and a charger never has two active alarms of one type.
 * Writes are durable before events go out.
 */
public final class AlarmBook {
    /**
     * How long raised and cleared events stay in the log for clients that were away (MQTT operator sessions, whose
     * expiry is at most a day, replay from it).
     */
    public static final Duration EVENT_LOG_RETENTION = Duration.ofDays(7);
    private static final Duration EVENT_LOG_PRUNE_EVERY = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(AlarmBook.class);
    private final AlarmStore store;
    private final Clock clock;
    private final List<AlarmEvents> listeners = new CopyOnWriteArrayList<>();
    private final AlarmMetrics metrics;
    /** Active alarms by charger and type; mirrors the store. */
    private final Map<String, Alarm> active = new HashMap<>();
    private final Map<String, Integer> activeByCharger = new HashMap<>();
    private final TimeOrderedIds ids = new TimeOrderedIds();
    private final TimeOrderedIds eventIds = new TimeOrderedIds();
    private final Predicate<String> revoked;
    private Instant eventsPrunedAt = Instant.MIN;

    public AlarmBook(AlarmStore store, Clock clock, AlarmEvents events, AlarmMetrics metrics) {
        this(store, clock, events, metrics, chargerId -> false);
    }

    /** @param revoked chargers no alarm may be raised for (revoked ones: {@link #clearAll} clears theirs) */
    public AlarmBook(AlarmStore store, Clock clock, AlarmEvents events, AlarmMetrics metrics,
            Predicate<String> revoked) {
        this.revoked = Objects.requireNonNull(revoked, "revoked");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        listeners.add(Objects.requireNonNull(events, "events"));
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        for (Alarm alarm : store.active()) {
            putActive(alarm);
        }
        // after a restart the clock may be a little behind the newest logged event: ids must still grow
        store.lastEventId().ifPresent(eventIds::continueAfter);
    }

    /** Sends raised and cleared alarms to {@code more} as well, from now on (the gateway attaches once it is up). */
    public void attach(AlarmEvents more) {
        listeners.add(Objects.requireNonNull(more, "more"));
    }

    /**
     * Records a new active alarm, unless the charger already has an active one of that type (and, for
     * THRESHOLD, that rule): that one is returned then. Nothing is raised for a revoked charger (empty).
     */
    public synchronized Optional<Alarm> raise(Alarm candidate, boolean reportLateness) {
        Alarm existing = active.get(key(candidate));
        if (existing != null) {
            return Optional.of(existing);
        }
        if (revoked.test(candidate.chargerId())) {
            return Optional.empty();
        }
        AlarmEvent event = logged(candidate, WebhookEventType.ALARM_RAISED);
        putActive(candidate);
        if (reportLateness && candidate.deadline() != null) {
            metrics.raised(candidate.type(), Duration.between(candidate.deadline(), candidate.raisedAt()));
        } else {
            metrics.raised(candidate.type(), null);
        }
        announce(event);
        return Optional.of(candidate);
    }

    /** Clears the charger's active SILENT alarm, if any, as of {@code at}. */
    public Optional<Alarm> clearSilent(String chargerId, Instant at) {
        return clear(chargerId, AlarmType.SILENT, null, at, ClearReason.TELEMETRY_RESUMED);
    }

    /** Clears the charger's active alarm of {@code type} raised by {@code ruleId} (null for SILENT). */
    public synchronized Optional<Alarm> clear(String chargerId, AlarmType type, String ruleId, Instant at,
            ClearReason reason) {
        Alarm current = active.remove(key(chargerId, type, ruleId));
        if (current == null) {
            return Optional.empty();
        }
        activeByCharger.computeIfPresent(chargerId, (id, n) -> n <= 1 ? null : n - 1);
        // re-read: an operator may have acknowledged it since it was raised
        Alarm cleared = store.find(current.id()).orElse(current).cleared(at, reason);
        AlarmEvent event = logged(cleared, WebhookEventType.ALARM_CLEARED);
        metrics.cleared(type);
        announce(event);
        return Optional.of(cleared);
    }

    /** Clears every active alarm of the charger, of any type, for {@code reason}; returns how many. */
    public synchronized int clearAll(String chargerId, Instant at, ClearReason reason) {
        List<Alarm> ofCharger = active.values().stream().filter(a -> a.chargerId().equals(chargerId)).toList();
        for (Alarm a : ofCharger) {
            clear(chargerId, a.type(), a.ruleId(), at, reason);
        }
        return ofCharger.size();
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
            active.put(key(acked), acked); // replaces the same alarm: counts unchanged
        }
        return acked;
    }

    public synchronized Optional<Alarm> active(String chargerId, AlarmType type) {
        return active(chargerId, type, null);
    }

    public synchronized Optional<Alarm> active(String chargerId, AlarmType type, String ruleId) {
        return Optional.ofNullable(active.get(key(chargerId, type, ruleId)));
    }

    /** Active alarms raised by one rule (to clear them when the rule goes). */
    public synchronized java.util.List<Alarm> activeForRule(String ruleId) {
        return active.values().stream().filter(a -> ruleId.equals(a.ruleId())).toList();
    }

    public synchronized int activeCount(AlarmType type) {
        return (int) active.values().stream().filter(a -> a.type() == type).count();
    }

    public synchronized int activeCount(String chargerId) {
        return activeByCharger.getOrDefault(chargerId, 0);
    }

    private void putActive(Alarm alarm) {
        if (active.put(key(alarm), alarm) == null) {
            activeByCharger.merge(alarm.chargerId(), 1, Integer::sum);
        }
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

    private static String key(Alarm alarm) {
        return key(alarm.chargerId(), alarm.type(), alarm.ruleId());
    }

    private static String key(String chargerId, AlarmType type, String ruleId) {
        return chargerId + '\u0000' + type + '\u0000' + (ruleId == null ? "" : ruleId);
    }

    /** Saves the alarm with its event in the log, which keeps {@link #EVENT_LOG_RETENTION}. */
    private AlarmEvent logged(Alarm alarm, WebhookEventType type) {
        Instant now = clock.instant();
        AlarmEvent event = new AlarmEvent(eventIds.next(now), type, now, alarm);
        store.save(alarm, event);
        if (eventsPrunedAt.isBefore(now.minus(EVENT_LOG_PRUNE_EVERY))) {
            eventsPrunedAt = now;
            store.dropEventsBefore(now.minus(EVENT_LOG_RETENTION));
        }
        return event;
    }

    /** The event is durable already; a listener that fails must not undo that or keep it from the others. */
    private void announce(AlarmEvent event) {
        for (AlarmEvents listener : listeners) {
            try {
                listener.announced(event);
            } catch (RuntimeException e) {
                LOG.error("alarms: {} could not be told about alarm {}", listener.getClass().getSimpleName(),
                        event.alarm().id(), e);
            }
        }
    }
}
