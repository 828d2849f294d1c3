package io.chargeline.core.alarm;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One alarm. Repeated silences of a charger are separate alarms; a charger has at most one active alarm per
 * type.
 *
 * @param deadline when the condition became due (for SILENT: last telemetry + threshold); raisedAt minus
 *     deadline is how late the alarm was
 * @param lastTelemetryAt receive time of the charger's last telemetry before the alarm, or null
 * @param threshold the silence threshold in force when it was raised
 */
public record Alarm(
        String id,
        String chargerId,
        AlarmType type,
        AlarmState state,
        Instant raisedAt,
        Instant deadline,
        Instant clearedAt,
        Instant acknowledgedAt,
        String acknowledgedBy,
        Instant lastTelemetryAt,
        Duration threshold) {

    public Alarm {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(chargerId, "chargerId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(raisedAt, "raisedAt");
    }

    /** A new active silence alarm. */
    public static Alarm silent(String id, String chargerId, Instant raisedAt, Instant deadline, Instant lastTelemetryAt,
            Duration threshold) {
        return new Alarm(id, chargerId, AlarmType.SILENT, AlarmState.ACTIVE, raisedAt, deadline, null, null, null,
                lastTelemetryAt, threshold);
    }

    public boolean isActive() {
        return state == AlarmState.ACTIVE;
    }

    public Alarm cleared(Instant at) {
        return new Alarm(id, chargerId, type, AlarmState.CLEARED, raisedAt, deadline, at, acknowledgedAt,
                acknowledgedBy, lastTelemetryAt, threshold);
    }

    public Alarm acknowledged(Instant at, String by) {
        return new Alarm(id, chargerId, type, state, raisedAt, deadline, clearedAt, at, by, lastTelemetryAt, threshold);
    }
}
