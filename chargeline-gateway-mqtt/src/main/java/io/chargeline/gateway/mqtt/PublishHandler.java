package io.chargeline.gateway.mqtt;

import io.chargeline.core.device.GatewayMetrics;
import io.chargeline.core.presence.PresenceListener.DisconnectReason;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inbound PUBLISH (QoS 0, 1 and 2) and PUBREL: resolves MQTT 5 topic aliases, enforces the receive maximum,
 * answers a resent QoS 2 publish without ingesting it twice, and hands the rest to the {@link IngestPath}.
 * Acknowledgements written while reading are flushed once, when the read is complete.
 */
final class PublishHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(PublishHandler.class);

    private final ClientConnection connection;
    private final IngestPath ingest;

    PublishHandler(ClientConnection connection, IngestPath ingest) {
        this.connection = connection;
        this.ingest = ingest;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof MqttPublishMessage publish) {
            try {
                InboundPublish in = read(publish);
                if (in != null) {
                    ingest.handle(connection, in);
                }
            } finally {
                publish.release();
            }
        } else if (msg instanceof MqttMessage m && m.fixedHeader().messageType() == MqttMessageType.PUBREL) {
            release(((MqttMessageIdVariableHeader) m.variableHeader()).messageId());
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        connection.flush();
        ctx.fireChannelReadComplete();
    }

    /** The publish to ingest, or null when it was answered or ended the connection here. */
    private InboundPublish read(MqttPublishMessage publish) {
        if (connection.closing()) {
            return null;
        }
        MqttQoS qos = publish.fixedHeader().qosLevel();
        int packetId = publish.variableHeader().packetId();
        String topic = topic(publish);
        if (topic == null) {
            return null;
        }
        if (connection.mqtt5 && publish.fixedHeader().isRetain()) {
            protocolError(GatewayMetrics.DropReason.PROTOCOL_ERROR, MqttReasonCodes.Disconnect.RETAIN_NOT_SUPPORTED, "retained messages are not supported");
            return null;
        }
        if (qos == MqttQoS.EXACTLY_ONCE && connection.session.awaitingRelease.contains(packetId)) {
            // a resend of a publish already stored: answer again, ingest nothing
            connection.enqueue(PendingAck.readyNow(connection, MqttMessageType.PUBREC, packetId, (byte) 0, null));
            return null;
        }
        if (qos != MqttQoS.AT_MOST_ONCE && connection.mqtt5
                && connection.unacknowledged() >= connection.services().limits().receiveMaximum()) {
            protocolError(GatewayMetrics.DropReason.RECEIVE_MAXIMUM_EXCEEDED,
                    MqttReasonCodes.Disconnect.RECEIVE_MAXIMUM_EXCEEDED, "more than "
                    + connection.services().limits().receiveMaximum() + " unacknowledged QoS 1 and 2 publishes");
            return null;
        }
        if (qos == MqttQoS.EXACTLY_ONCE && connection.resentWhileCommitting(packetId, System.nanoTime())) {
            return null; // ingested once; its PUBREC follows the first copy's
        }
        byte[] payload = ByteBufUtil.getBytes(publish.payload());
        return new InboundPublish(topic, qos, packetId, payload, connection.services().clock().instant(),
                System.nanoTime());
    }

    /** The topic name, after MQTT 5 topic aliases; null when the alias was invalid (the connection is closing). */
    private String topic(MqttPublishMessage publish) {
        String topic = publish.variableHeader().topicName();
        MqttProperties.MqttProperty<?> aliasProperty = connection.mqtt5
                ? publish.variableHeader().properties().getProperty(MqttPropertyType.TOPIC_ALIAS.value())
                : null;
        if (aliasProperty == null) {
            if (topic.isEmpty()) {
                // MQTT 5 3.3.2.1 calls this a Protocol Error; 0x90 is for a well-formed name the server refuses
                protocolError(GatewayMetrics.DropReason.PROTOCOL_ERROR, MqttReasonCodes.Disconnect.PROTOCOL_ERROR, "empty topic name without a topic alias");
                return null;
            }
            return topic;
        }
        int alias = (Integer) aliasProperty.value();
        if (alias == 0 || alias > connection.topicAliasMaximum()) {
            protocolError(GatewayMetrics.DropReason.PROTOCOL_ERROR, MqttReasonCodes.Disconnect.TOPIC_ALIAS_INVALID, "topic alias " + alias
                    + " is outside 1-" + connection.topicAliasMaximum());
            return null;
        }
        if (!topic.isEmpty()) {
            connection.setAlias(alias, topic);
            return topic;
        }
        String known = connection.alias(alias);
        if (known == null) {
            protocolError(GatewayMetrics.DropReason.PROTOCOL_ERROR, MqttReasonCodes.Disconnect.PROTOCOL_ERROR, "topic alias " + alias + " was never set");
        }
        return known;
    }

    /** PUBREL ends a QoS 2 flow: release the packet id and answer PUBCOMP, in order with the other answers. */
    private void release(int packetId) {
        if (connection.closing()) {
            return;
        }
        boolean known = connection.session.awaitingRelease.remove(packetId);
        byte code = known || !connection.mqtt5 ? 0 : MqttReasonCodes.PubComp.PACKET_IDENTIFIER_NOT_FOUND.byteValue();
        connection.enqueue(PendingAck.readyNow(connection, MqttMessageType.PUBCOMP, packetId, code, null));
    }

    private void protocolError(GatewayMetrics.DropReason drop, MqttReasonCodes.Disconnect code, String why) {
        connection.services().metrics().connectionDropped(drop);
        LOG.info("{} protocol error: {}; closing", connection.clientId, why);
        connection.close(DisconnectReason.SERVER_DISCONNECT, code.byteValue(), why, true);
    }
}
