package io.chargeline.broker.hivemq;

import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.packets.publish.PayloadFormatIndicator;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import com.hivemq.extension.sdk.api.services.publish.Publish;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import io.chargeline.core.TimeOrderedIds;
import io.chargeline.core.alarm.Alarm;
import io.chargeline.core.alarm.AlarmEvents;
import io.chargeline.core.alarm.EventJson;
import io.chargeline.core.webhook.WebhookEventType;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each raised and cleared alarm on {@code $chargeline/alarms/{chargerId}} (QoS 1, not retained), in
 * the webhook event format, for operator clients. Chargers cannot subscribe there (see {@link
 * ChargerTopicAuthorizer}). The broker queues events for operators with a persistent session while they are
 * away, up to its per-client queue limit.
 */
final class AlarmTopic implements AlarmEvents {
    static final String PREFIX = "$chargeline/alarms/";
    private static final Logger LOG = LoggerFactory.getLogger(AlarmTopic.class);

    private final AtomicReference<PublishService> publisher;
    private final TimeOrderedIds ids = new TimeOrderedIds();
    private final Clock clock;

    /** @param publisher this broker's publish service, set at extension start */
    AlarmTopic(AtomicReference<PublishService> publisher, Clock clock) {
        this.publisher = publisher;
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
        PublishService service = publisher.get();
        if (service == null) {
            return; // the broker is not up, so no operator can be listening
        }
        Instant now = clock.instant();
        byte[] body = EventJson.envelope(ids.next(now), type.wire(), now, EventJson.alarm(alarm));
        Publish publish = Builders.publish()
                .topic(PREFIX + alarm.chargerId())
                .qos(Qos.AT_LEAST_ONCE)
                .payload(ByteBuffer.wrap(body))
                .contentType("application/json")
                .payloadFormatIndicator(PayloadFormatIndicator.UTF_8)
                .build();
        service.publish(publish).whenComplete((done, error) -> {
            if (error != null) {
                LOG.warn("alarms: {} for alarm {} not published on MQTT: {}", type.wire(), alarm.id(), error.getMessage());
            }
        });
    }
}
