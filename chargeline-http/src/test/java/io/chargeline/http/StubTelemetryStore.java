package io.chargeline.http;

import io.chargeline.core.Page;
import io.chargeline.core.telemetry.DeadLetter;
import io.chargeline.core.telemetry.HistoryQuery;
import io.chargeline.core.telemetry.TelemetryRecord;
import io.chargeline.core.telemetry.TelemetryStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A store with nothing in it and no writes; tests override the reads they need. */
class StubTelemetryStore implements TelemetryStore {
    @Override
    public List<TelemetryRecord> fleetChunk(Instant from, Instant to, TelemetryRecord after, int limit) {
        return List.of();
    }

    @Override
    public List<Unstorable> commit(List<TelemetryRecord> records, List<DeadLetter> deadLetters) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<TelemetryRecord> latest(String chargerId) {
        return Optional.empty();
    }

    @Override
    public Page<TelemetryRecord> history(HistoryQuery query) {
        return new Page<>(List.of(), null);
    }

    @Override
    public long count(String chargerId, Instant from, Instant to) {
        return 0;
    }

    @Override
    public Map<String, Instant> lastReceived() {
        return Map.of();
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
