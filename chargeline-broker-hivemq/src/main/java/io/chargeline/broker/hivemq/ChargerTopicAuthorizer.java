package io.chargeline.broker.hivemq;

import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.packets.general.MqttVersion;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import io.chargeline.core.GatewayMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topic rules: a charger publishes only to {@code telemetry/{itsId}} and subscribes only within {@code
 * commands/{itsId}/#}. MQTT 5 clients get NOT_AUTHORIZED in the PUBACK/SUBACK; MQTT 3 has no such code for
 * PUBACK, so a 3.x publisher is disconnected instead.
 */
final class ChargerTopicAuthorizer implements PublishAuthorizer, SubscriptionAuthorizer {
    private static final Logger LOG = LoggerFactory.getLogger(ChargerTopicAuthorizer.class);

    private final GatewayMetrics metrics;

    ChargerTopicAuthorizer(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    static boolean mayPublish(String chargerId, String topic) {
        return topic.equals("telemetry/" + chargerId);
    }

    static boolean maySubscribe(String chargerId, String filter) {
        String own = "commands/" + chargerId;
        if (filter.equals(own) || filter.equals(own + "/#")) {
            return true;
        }
        // any filter strictly below the charger's own command tree; wildcards may only appear there
        return filter.startsWith(own + "/");
    }

    @Override
    public void authorizePublish(PublishAuthorizerInput input, PublishAuthorizerOutput output) {
        String chargerId = input.getClientInformation().getClientId();
        String topic = input.getPublishPacket().getTopic();
        if (mayPublish(chargerId, topic)) {
            output.authorizeSuccessfully();
            return;
        }
        metrics.topicRefused("publish");
        LOG.info("{} PUBLISH to '{}' refused: not its own telemetry topic", chargerId, topic);
        String reason = "charger " + chargerId + " may publish only to telemetry/" + chargerId;
        if (input.getConnectionInformation().getMqttVersion() == MqttVersion.V_5) {
            output.failAuthorization(AckReasonCode.NOT_AUTHORIZED, reason);
        } else {
            output.disconnectClient(DisconnectReasonCode.NOT_AUTHORIZED, reason);
        }
    }

    @Override
    public void authorizeSubscribe(SubscriptionAuthorizerInput input, SubscriptionAuthorizerOutput output) {
        String chargerId = input.getClientInformation().getClientId();
        String filter = input.getSubscription().getTopicFilter();
        if (maySubscribe(chargerId, filter)) {
            output.authorizeSuccessfully();
            return;
        }
        metrics.topicRefused("subscribe");
        LOG.info("{} SUBSCRIBE to '{}' refused: outside commands/{}/#", chargerId, filter, chargerId);
        output.failAuthorization(SubackReasonCode.NOT_AUTHORIZED,
                "charger " + chargerId + " may subscribe only within commands/" + chargerId + "/#");
    }
}
