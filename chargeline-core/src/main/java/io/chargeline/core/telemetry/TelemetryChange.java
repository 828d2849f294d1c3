package io.chargeline.core.telemetry;

import java.util.Objects;

/** One committed change: today a record stored (new, or replacing the one with its charger and timestamp). */
public record TelemetryChange(Kind kind, TelemetryRecord record) {
    public enum Kind {
        STORED
    }

    public TelemetryChange {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(record, "record");
    }

    public static TelemetryChange stored(TelemetryRecord record) {
        return new TelemetryChange(Kind.STORED, record);
    }
}
