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
import io.chargeline.core.ChargerIds;
import io.chargeline.core.ClientKind;
import io.chargeline.core.GatewayMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topic rules: a charger publishes only to {@code telemetry/{itsId}} and to replies {@code
 * commands/{itsId}/{commandId}/reply}, and subscribes only within {@code commands/{itsId}/#}; an operator publishes nothing and subscribes only to alarm topics ({@code
 * $chargeline/alarms/#}, {@code .../+} or {@code .../{chargerId}}). MQTT 5 clients get NOT_AUTHORIZED in the
 * PUBACK/SUBACK; MQTT 3 has no such code for PUBACK, so a 3.x publisher is disconnected instead. The client id
 * is the certificate CN (checked at CONNECT), so it says which rules apply.
 */
final class ChargerTopicAuthorizer implements PublishAuthorizer, SubscriptionAuthorizer {
    private static final Logger LOG = LoggerFactory.getLogger(ChargerTopicAuthorizer.class);

    private final GatewayMetrics metrics;

    ChargerTopicAuthorizer(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    static boolean mayPublish(String clientId, String topic) {
        return ClientKind.of(clientId) == ClientKind.CHARGER
                && (topic.equals("telemetry/" + clientId) || CommandTopics.repliedCommand(clientId, topic) != null);
    }

    static boolean maySubscribe(String clientId, String filter) {
        if (ClientKind.of(clientId) == ClientKind.OPERATOR) {
            return operatorMaySubscribe(filter);
        }
        return chargerMaySubscribe(clientId, filter);
    }

    private static boolean operatorMaySubscribe(String filter) {
        if (!filter.startsWith(AlarmTopic.PREFIX)) {
            return false;
        }
        String rest = filter.substring(AlarmTopic.PREFIX.length());
        return rest.equals("#") || rest.equals("+") || ChargerIds.isValid(rest);
    }

    private static boolean chargerMaySubscribe(String chargerId, String filter) {
        String own = "commands/" + chargerId;
        if (filter.equals(own) || filter.equals(own + "/#")) {
            return true;
        }
        // any filter strictly below the charger's own command tree; wildcards may only appear there
        return filter.startsWith(own + "/");
    }

    @Override
    public void authorizePublish(PublishAuthorizerInput input, PublishAuthorizerOutput output) {
        String clientId = input.getClientInformation().getClientId();
        String topic = input.getPublishPacket().getTopic();
        if (mayPublish(clientId, topic)) {
            output.authorizeSuccessfully();
            return;
        }
        metrics.topicRefused(GatewayMetrics.TopicAction.PUBLISH);
        String reason = ClientKind.of(clientId) == ClientKind.OPERATOR
                ? "operator clients may not publish"
                : "charger " + clientId + " may publish only to telemetry/" + clientId + " and commands/" + clientId
                        + "/{commandId}/reply";
        LOG.info("{} PUBLISH to '{}' refused: {}", clientId, topic, reason);
        if (input.getConnectionInformation().getMqttVersion() == MqttVersion.V_5) {
            output.failAuthorization(AckReasonCode.NOT_AUTHORIZED, reason);
        } else {
            output.disconnectClient(DisconnectReasonCode.NOT_AUTHORIZED, reason);
        }
    }

    @Override
    public void authorizeSubscribe(SubscriptionAuthorizerInput input, SubscriptionAuthorizerOutput output) {
        String clientId = input.getClientInformation().getClientId();
        String filter = input.getSubscription().getTopicFilter();
        if (maySubscribe(clientId, filter)) {
            output.authorizeSuccessfully();
            return;
        }
        metrics.topicRefused(GatewayMetrics.TopicAction.SUBSCRIBE);
        String reason = ClientKind.of(clientId) == ClientKind.OPERATOR
                ? "operator clients may subscribe only to " + AlarmTopic.PREFIX + "#, " + AlarmTopic.PREFIX
                        + "+ or " + AlarmTopic.PREFIX + "{chargerId}"
                : "charger " + clientId + " may subscribe only within commands/" + clientId + "/#";
        LOG.info("{} SUBSCRIBE to '{}' refused: {}", clientId, filter, reason);
        output.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, reason);
    }
}
