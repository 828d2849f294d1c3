package io.chargeline.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;

/**
 * A QoS 1 publish to a client: a command (with its id, so the client's PUBACK marks it delivered) or an alarm event.
 */
record OutboundMessage(String topic, byte[] payload, MqttProperties properties, String commandId) {}
