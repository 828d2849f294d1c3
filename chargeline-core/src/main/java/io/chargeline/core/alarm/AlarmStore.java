package io.chargeline.core.alarm;

import io.chargeline.core.Page;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Durable home of alarms, their event log, per-charger alarm settings and the server's liveness mark. Thread-safe. */
public interface AlarmStore extends AlarmFeeds {
    /** Inserts or replaces the alarm; durable when it returns. */
    void save(Alarm alarm);

    /** Saves the alarm and appends {@code event} to the event log in one write; durable when it returns. */
    void save(Alarm alarm, AlarmEvent event);

    /** Drops logged events from before {@code before}. */
    void dropEventsBefore(Instant before);

    Optional<Alarm> find(String id);

    /** Newest first, filtered; the next cursor is the last id of a full page. */
    Page<Alarm> list(AlarmQuery query);

    List<Alarm> active();

    /** Chargers whose silence threshold differs from the default. */
    Map<String, Duration> silenceThresholds();

    /** Sets a charger's silence threshold, or removes the override when {@code threshold} is null. */
    void saveSilenceThreshold(String chargerId, Duration threshold);

    List<AlarmRule> rules();

    void saveRule(AlarmRule rule);

    void deleteRule(String id);

    /** When the server was last known to run (written every second while it does), or empty the first time. */
    Optional<Instant> lastAlive();

    /** Written often; need not be synced (a process crash keeps it, a power cut may lose the last seconds). */
    void markAlive(Instant at);
}
