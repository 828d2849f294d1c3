package io.chargeline.core.telemetry;

import io.chargeline.core.Page;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/** Records in memory, sorted per charger: enough of a store for the read side (history, rollups from records). */
class SortedRecordStore implements TelemetryStore {
    private final Map<String, NavigableMap<Instant, TelemetryRecord>> byCharger = new HashMap<>();

    void put(TelemetryRecord r) {
        byCharger.computeIfAbsent(r.chargerId(), id -> new TreeMap<>()).put(r.timestamp(), r);
    }

    List<TelemetryRecord> all(String chargerId) {
        return new ArrayList<>(byCharger.getOrDefault(chargerId, new TreeMap<>()).values());
    }

    @Override
    public Page<TelemetryRecord> history(HistoryQuery q) {
        NavigableMap<Instant, TelemetryRecord> rows = byCharger.getOrDefault(q.chargerId(), new TreeMap<>());
        Instant from = q.after() == null ? q.from() : q.after().plusNanos(1);
        List<TelemetryRecord> out = new ArrayList<>();
        if (from.isBefore(q.to())) {
            for (TelemetryRecord r : rows.subMap(from, true, q.to(), false).values()) {
                if (out.size() == q.limit()) {
                    return new Page<>(out, HistoryQuery.cursorAfter(out.get(out.size() - 1).timestamp()));
                }
                out.add(r);
            }
        }
        return new Page<>(out, null);
    }

    @Override
    public Map<String, Instant> lastReceived() {
        Map<String, Instant> out = new HashMap<>();
        byCharger.forEach((id, rows) -> out.put(id, rows.lastEntry().getValue().receivedAt()));
        return out;
    }

    @Override
    public List<Unstorable> commit(List<TelemetryRecord> records, List<DeadLetter> deadLetters) {
        records.forEach(this::put);
        return List.of();
    }

    @Override
    public Optional<TelemetryRecord> latest(String chargerId) {
        NavigableMap<Instant, TelemetryRecord> rows = byCharger.get(chargerId);
        return rows == null ? Optional.empty() : Optional.of(rows.lastEntry().getValue());
    }

    @Override
    public List<TelemetryRecord> fleetChunk(Instant from, Instant to, TelemetryRecord after, int limit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long count(String chargerId, Instant from, Instant to) {
        return byCharger.getOrDefault(chargerId, new TreeMap<>()).subMap(from, true, to, false).size();
    }

    @Override
    public List<DeadLetter> recentDeadLetters(int limit) {
        return List.of();
    }

    @Override
    public int expire(Instant now) {
        return 0;
    }

    @Override
    public void close() {}
}
