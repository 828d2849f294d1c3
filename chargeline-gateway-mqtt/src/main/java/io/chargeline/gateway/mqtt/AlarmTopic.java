package io.chargeline.gateway.mqtt;

import io.chargeline.core.alarm.AlarmEvent;
import io.chargeline.core.alarm.AlarmEvents;

/**
 * Publishes each raised and cleared alarm on {@code $chargeline/alarms/{chargerId}} (QoS 1, not retained), in the
 * webhook event format, to the connected operator clients subscribed to it. Nothing is queued for operators that
 * are away: every event is in the alarm store's log before it is announced, and a returning persistent session
 * replays from there ({@link OperatorFeed}). Chargers cannot subscribe here (see {@link TopicRules}).
 */
final class AlarmTopic implements AlarmEvents {
    private final Sessions sessions;
    private volatile String lastAnnounced;

    AlarmTopic(Sessions sessions, String lastLogged) {
        this.sessions = sessions;
        this.lastAnnounced = lastLogged;
    }

    static String topic(AlarmEvent event) {
        return TopicRules.ALARMS + event.alarm().chargerId();
    }

    /** Where a feed that starts now starts: after the newest event announced (null: the log's beginning). */
    String lastAnnounced() {
        return lastAnnounced;
    }

    @Override
    public void announced(AlarmEvent event) {
        lastAnnounced = event.id();
        String topic = topic(event);
        sessions.forEachLiveOperator(live -> {
            if (live.session.subscribedTo(topic)) {
                live.channel.eventLoop().execute(() -> live.alarmFeed().announced(event));
            }
        });
    }
}
