package io.chargeline.gateway.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import java.util.List;

/**
 * The packets the gateway sends. The encoder writes reason codes and properties only to MQTT 5 clients, so one
 * message serves every protocol version.
 */
final class Packets {
    private static final MqttFixedHeader PUBACK = fixed(MqttMessageType.PUBACK, MqttQoS.AT_MOST_ONCE);
    private static final MqttFixedHeader PUBREC = fixed(MqttMessageType.PUBREC, MqttQoS.AT_MOST_ONCE);
    private static final MqttFixedHeader PUBCOMP = fixed(MqttMessageType.PUBCOMP, MqttQoS.AT_MOST_ONCE);
    static final MqttMessage PINGRESP = new MqttMessage(fixed(MqttMessageType.PINGRESP, MqttQoS.AT_MOST_ONCE));

    private Packets() {}

    /** PUBACK, PUBREC or PUBCOMP with a reason code, and a reason string when there is one. */
    static MqttMessage pubReply(MqttMessageType type, int packetId, byte reasonCode, String reason) {
        MqttFixedHeader header = switch (type) {
            case PUBACK -> PUBACK;
            case PUBREC -> PUBREC;
            case PUBCOMP -> PUBCOMP;
            default -> throw new IllegalArgumentException(type + " is not a reply to a publish");
        };
        return new MqttMessage(header, new MqttPubReplyMessageVariableHeader(packetId, reasonCode, reasonString(reason)));
    }

    static MqttMessage disconnect(byte reasonCode, String reason) {
        return new MqttMessage(fixed(MqttMessageType.DISCONNECT, MqttQoS.AT_MOST_ONCE),
                new MqttReasonCodeAndPropertiesVariableHeader(reasonCode, reasonString(reason)));
    }

    static MqttSubAckMessage subAck(int packetId, int[] codes) {
        return new MqttSubAckMessage(fixed(MqttMessageType.SUBACK, MqttQoS.AT_MOST_ONCE),
                new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
                new MqttSubAckPayload(codes));
    }

    static MqttUnsubAckMessage unsubAck(int packetId, List<Short> codes) {
        return new MqttUnsubAckMessage(fixed(MqttMessageType.UNSUBACK, MqttQoS.AT_MOST_ONCE),
                new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
                new MqttUnsubAckPayload(codes));
    }

    static MqttPublishMessage publish(String topic, int packetId, ByteBuf payload, MqttProperties properties) {
        return new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE, false, 0),
                new MqttPublishVariableHeader(topic, packetId, properties), payload);
    }

    static MqttProperties reasonString(String reason) {
        if (reason == null) {
            return MqttProperties.NO_PROPERTIES;
        }
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.StringProperty(MqttProperties.MqttPropertyType.REASON_STRING.value(), reason));
        return properties;
    }

    private static MqttFixedHeader fixed(MqttMessageType type, MqttQoS qos) {
        return new MqttFixedHeader(type, false, qos, false, 0);
    }
}
