package io.chargeline.core.telemetry;

import java.time.Instant;
import java.util.Objects;

/**
 * One stored telemetry message. {@code dataJson} is the message's {@code data} object as compact JSON
 * ({@code null} when the message had none). Identity is (chargerId, timestamp): a second record with the
 * same pair replaces the first.
 */
public record TelemetryRecord(
        String chargerId, Instant timestamp, String dataJson, Instant receivedAt, Instant processedAt) {

    public TelemetryRecord {
        Objects.requireNonNull(chargerId, "chargerId");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /** The same record stamped with the time it was committed. */
    public TelemetryRecord processedAt(Instant committedAt) {
        return new TelemetryRecord(chargerId, timestamp, dataJson, receivedAt, committedAt);
    }
}
