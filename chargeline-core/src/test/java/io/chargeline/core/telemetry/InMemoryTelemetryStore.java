package io.chargeline.core.telemetry;

import io.chargeline.core.Page;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A telemetry store in memory for tests of every module (the core's test jar): records sorted per charger, the
 * reads of the port as its contract says, dead letters newest first. Tests override what they need to control.
 */
public class InMemoryTelemetryStore implements TelemetryStore {
    private final Map<String, NavigableMap<Instant, TelemetryRecord>> byCharger = new HashMap<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();

    public synchronized void put(TelemetryRecord r) {
        byCharger.computeIfAbsent(r.chargerId(), id -> new TreeMap<>()).put(r.timestamp(), r);
    }

    /** The charger's records, oldest first. */
    public synchronized List<TelemetryRecord> all(String chargerId) {
        return new ArrayList<>(rows(chargerId).values());
    }

    @Override
    public synchronized List<Unstorable> commit(List<TelemetryRecord> records, List<DeadLetter> letters) {
        records.forEach(this::put);
        deadLetters.addAll(letters);
        return List.of();
    }

    @Override
    public synchronized Optional<TelemetryRecord> update(String chargerId, Instant timestamp,
            java.util.function.UnaryOperator<String> change, Instant at) {
        TelemetryRecord r = rows(chargerId).get(timestamp);
        if (r == null) {
            return Optional.empty();
        }
        TelemetryRecord corrected = r.corrected(change.apply(r.dataJson()), at);
        put(corrected);
        return Optional.of(corrected);
    }

    @Override
    public synchronized long delete(String chargerId, Instant from, Instant to) {
        NavigableMap<Instant, TelemetryRecord> range = rows(chargerId).subMap(from, true, to, false);
        long n = range.size();
        range.clear();
        if (byCharger.containsKey(chargerId) && byCharger.get(chargerId).isEmpty()) {
            byCharger.remove(chargerId);
        }
        return n;
    }

    @Override
    public synchronized Optional<TelemetryRecord> latest(String chargerId) {
        NavigableMap<Instant, TelemetryRecord> rows = byCharger.get(chargerId);
        return rows == null ? Optional.empty() : Optional.of(rows.lastEntry().getValue());
    }

    @Override
    public synchronized Page<TelemetryRecord> history(HistoryQuery q) {
        Instant from = q.from();
        Instant to = q.to();
        if (q.after() != null && !q.descending()) {
            from = q.after().plusNanos(1).isAfter(from) ? q.after().plusNanos(1) : from;
        } else if (q.after() != null) {
            to = q.after().isBefore(to) ? q.after() : to;
        }
        List<TelemetryRecord> out = new ArrayList<>();
        if (from.isBefore(to)) {
            NavigableMap<Instant, TelemetryRecord> range = rows(q.chargerId()).subMap(from, true, to, false);
            for (TelemetryRecord r : (q.descending() ? range.descendingMap() : range).values()) {
                if (out.size() == q.limit()) {
                    return new Page<>(out, HistoryQuery.cursorAfter(out.get(out.size() - 1).timestamp()));
                }
                out.add(r);
            }
        }
        return new Page<>(out, null);
    }

    @Override
    public synchronized List<TelemetryRecord> fleetChunk(Instant from, Instant to, TelemetryRecord after, int limit) {
        Comparator<TelemetryRecord> order = Comparator.comparing((TelemetryRecord r) -> day(r.timestamp()))
                .thenComparing(TelemetryRecord::chargerId).thenComparing(TelemetryRecord::timestamp);
        List<TelemetryRecord> all = new ArrayList<>();
        byCharger.values().forEach(rows -> all.addAll(rows.values()));
        return all.stream()
                .filter(r -> !r.timestamp().isBefore(from) && r.timestamp().isBefore(to))
                .filter(r -> after == null || order.compare(r, after) > 0)
                .sorted(order).limit(limit).toList();
    }

    @Override
    public synchronized long count(String chargerId, Instant from, Instant to) {
        return from.isBefore(to) ? rows(chargerId).subMap(from, true, to, false).size() : 0;
    }

    @Override
    public synchronized Map<String, Instant> lastReceived() {
        Map<String, Instant> out = new HashMap<>();
        byCharger.forEach((id, rows) -> out.put(id, rows.values().stream().map(TelemetryRecord::receivedAt)
                .max(Comparator.naturalOrder()).orElseThrow()));
        return out;
    }

    @Override
    public synchronized List<DeadLetter> recentDeadLetters(int limit) {
        List<DeadLetter> newestFirst = new ArrayList<>(deadLetters);
        java.util.Collections.reverse(newestFirst);
        return newestFirst.subList(0, Math.min(limit, newestFirst.size()));
    }

    @Override
    public int expire(Instant now) {
        return 0;
    }

    @Override
    public void close() {}

    private NavigableMap<Instant, TelemetryRecord> rows(String chargerId) {
        return byCharger.getOrDefault(chargerId, new TreeMap<>());
    }

    private static LocalDate day(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC);
    }
}
