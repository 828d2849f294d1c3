package io.chargeline.core.alarm;

import io.chargeline.core.webhook.WebhookEventType;
import java.time.Instant;
import java.util.Objects;

/**
 * An alarm raised or cleared, as its listeners see it. Written to the alarm store's event log with the alarm
 * before anyone is told, so a client that was away can be sent what it missed. Ids are time-ordered.
 */
public record AlarmEvent(String id, WebhookEventType type, Instant at, Alarm alarm) {
    public AlarmEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(alarm, "alarm");
        if (type != WebhookEventType.ALARM_RAISED && type != WebhookEventType.ALARM_CLEARED) {
            throw new IllegalArgumentException("not an alarm event: " + type);
        }
    }

    /** The event in the webhook delivery format. */
    public byte[] json() {
        return EventJson.envelope(id, type.wire(), at, EventJson.alarm(alarm));
    }
}
