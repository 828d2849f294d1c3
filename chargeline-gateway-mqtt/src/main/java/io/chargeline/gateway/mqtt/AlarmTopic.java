package io.chargeline.gateway.mqtt;

import io.chargeline.core.TimeOrderedIds;
import io.chargeline.core.alarm.Alarm;
import io.chargeline.core.alarm.AlarmEvents;
import io.chargeline.core.alarm.EventJson;
import io.chargeline.core.webhook.WebhookEventType;
import java.time.Clock;
import java.time.Instant;

/**
 * Publishes each raised and cleared alarm on {@code $chargeline/alarms/{chargerId}} (QoS 1, not retained), in the
 * webhook event format, to the operator clients subscribed to it. An operator with a persistent session that is
 * away gets the events on its return, up to {@link MqttGatewaySettings.Limits#offlineQueue()} of them (kept in
 * memory). Chargers cannot subscribe there (see {@link TopicRules}).
 */
final class AlarmTopic implements AlarmEvents {
    private final Sessions sessions;
    private final TimeOrderedIds ids = new TimeOrderedIds();
    private final Clock clock;

    AlarmTopic(Sessions sessions, Clock clock) {
        this.sessions = sessions;
        this.clock = clock;
    }

    @Override
    public void raised(Alarm alarm) {
        publish(alarm, WebhookEventType.ALARM_RAISED);
    }

    @Override
    public void cleared(Alarm alarm) {
        publish(alarm, WebhookEventType.ALARM_CLEARED);
    }

    private void publish(Alarm alarm, WebhookEventType type) {
        Instant now = clock.instant();
        String topic = TopicRules.ALARMS + alarm.chargerId();
        OutboundMessage message = new OutboundMessage(topic,
                EventJson.envelope(ids.next(now), type.wire(), now, EventJson.alarm(alarm)), JsonPublishProperties.json(), null);
        for (SessionState session : sessions.operatorSessions()) {
            if (!session.subscribedTo(topic)) {
                continue;
            }
            ClientConnection live = sessions.live(session.clientId);
            if (live != null && live.session == session) {
                live.channel.eventLoop().execute(() -> live.send(message));
            } else if (session.persistent()) {
                session.keepMissed(message);
            }
        }
    }
}
