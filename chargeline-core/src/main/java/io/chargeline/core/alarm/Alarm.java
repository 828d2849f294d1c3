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
 * @param threshold SILENT: the silence threshold in force when it was raised; THRESHOLD: the rule's duration
 * @param ruleId the value rule that raised a THRESHOLD alarm, else null
 * @param detail what happened, in words (THRESHOLD: the rule and the value that broke it)
 * @param clearReason why it was cleared; null while active (and for alarms cleared before reasons were kept)
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
        Duration threshold,
        String ruleId,
        String detail,
        ClearReason clearReason) {

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
                lastTelemetryAt, threshold, null, null, null);
    }

    /** A new active value-rule alarm. */
    public static Alarm threshold(String id, String chargerId, Instant raisedAt, Instant deadline,
            Instant lastTelemetryAt, AlarmRule rule, double value) {
        return new Alarm(id, chargerId, AlarmType.THRESHOLD, AlarmState.ACTIVE, raisedAt, deadline, null, null, null,
                lastTelemetryAt, rule.forDuration(), rule.id(), rule.describe() + " (value " + value + ")", null);
    }

    public boolean isActive() {
        return state == AlarmState.ACTIVE;
    }

    public Alarm cleared(Instant at, ClearReason reason) {
        Objects.requireNonNull(reason, "reason");
        return new Alarm(id, chargerId, type, AlarmState.CLEARED, raisedAt, deadline, at, acknowledgedAt,
                acknowledgedBy, lastTelemetryAt, threshold, ruleId, detail, reason);
    }

    public Alarm acknowledged(Instant at, String by) {
        return new Alarm(id, chargerId, type, state, raisedAt, deadline, clearedAt, at, by, lastTelemetryAt, threshold,
                ruleId, detail, clearReason);
    }
}
