package io.chargeline.core.telemetry;

import java.time.Instant;
import java.util.Objects;

/**
 * One committed change: a record stored by ingest (new, or replacing the one with its charger and timestamp), a
 * record an operator corrected, or a deletion of a charger's records in a range.
 */
public record TelemetryChange(Kind kind, TelemetryRecord record, Deletion deletion) {
    public enum Kind {
        STORED,
        UPDATED,
        DELETED
    }

    /** What a deletion removed: {@code count} records of the charger with {@code from <= timestamp < to}. */
    public record Deletion(String chargerId, Instant from, Instant to, long count) {}

    public TelemetryChange {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.DELETED ? deletion == null || record != null : record == null || deletion != null) {
            throw new IllegalArgumentException(kind + " carries " + (kind == Kind.DELETED ? "a deletion" : "a record"));
        }
    }

    public static TelemetryChange stored(TelemetryRecord record) {
        return new TelemetryChange(Kind.STORED, record, null);
    }

    public static TelemetryChange updated(TelemetryRecord record) {
        return new TelemetryChange(Kind.UPDATED, record, null);
    }

    public static TelemetryChange deleted(Deletion deletion) {
        return new TelemetryChange(Kind.DELETED, null, deletion);
    }

    public String chargerId() {
        return record != null ? record.chargerId() : deletion.chargerId();
    }
}
