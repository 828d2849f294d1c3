package io.chargeline.core.telemetry;

import java.time.Instant;
import java.util.Objects;

/**
 * One stored telemetry message. {@code dataJson} is the message's {@code data} object as compact JSON
 * ({@code null} when the message had none). Identity is (chargerId, timestamp): a second record with the
 * same pair replaces the first. {@code updatedAt} is set once an operator corrected {@code data}, else null.
 */
public record TelemetryRecord(String chargerId, Instant timestamp, String dataJson, Instant receivedAt,
        Instant processedAt, Instant updatedAt) {

    public TelemetryRecord {
        Objects.requireNonNull(chargerId, "chargerId");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /** A record as ingested: never corrected. */
    public TelemetryRecord(String chargerId, Instant timestamp, String dataJson, Instant receivedAt, Instant processedAt) {
        this(chargerId, timestamp, dataJson, receivedAt, processedAt, null);
    }

    /** The same record stamped with the time it was committed. */
    public TelemetryRecord processedAt(Instant committedAt) {
        return new TelemetryRecord(chargerId, timestamp, dataJson, receivedAt, committedAt, updatedAt);
    }

    /** The same record with other data, corrected at {@code at}. */
    public TelemetryRecord corrected(String newDataJson, Instant at) {
        return new TelemetryRecord(chargerId, timestamp, newDataJson, receivedAt, processedAt, at);
    }
}
