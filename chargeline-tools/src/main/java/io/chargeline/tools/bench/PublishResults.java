package io.chargeline.tools.bench;

import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;

/** How the tools decide that the server accepted a publish. */
public final class PublishResults {
    private PublishResults() {}

    /** No client error and, for QoS 1, a PUBACK without an error reason code. */
    public static boolean acknowledged(Mqtt5PublishResult result) {
        if (result.getError().isPresent()) {
            return false;
        }
        return !(result instanceof Mqtt5PublishResult.Mqtt5Qos1Result qos1) || !qos1.getPubAck().getReasonCode().isError();
    }
}
