package io.chargeline.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;

/**
 * A QoS 1 publish to a client: a command (with its id, so the client's PUBACK marks it delivered) or an alarm event
 * (with the event's id, so the PUBACK moves the operator's feed on).
 */
record OutboundMessage(String topic, byte[] payload, MqttProperties properties, String commandId,
        String alarmEventId) {

    static OutboundMessage command(String topic, byte[] payload, MqttProperties properties, String commandId) {
        return new OutboundMessage(topic, payload, properties, commandId, null);
    }

    static OutboundMessage alarmEvent(String topic, byte[] payload, String eventId) {
        return new OutboundMessage(topic, payload, JsonPublishProperties.json(), null, eventId);
    }
}
