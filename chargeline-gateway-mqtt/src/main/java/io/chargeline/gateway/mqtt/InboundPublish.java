package io.chargeline.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttQoS;
import java.time.Instant;

/** A PUBLISH from a client, its payload copied out of the network buffer. */
record InboundPublish(String topic, MqttQoS qos, int packetId, byte[] payload, Instant receivedAt, long receivedNanos) {}
