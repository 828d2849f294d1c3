package io.chargeline.gateway.mqtt;

import io.chargeline.core.device.GatewayMetrics;
import io.chargeline.core.presence.PresenceListener.DisconnectReason;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's PUBACKs for what the gateway sent (QoS 1 only): a command's PUBACK marks it delivered, an alarm
 * event's moves the operator's feed on. PUBREC and PUBCOMP can only answer QoS 2 publishes, which the gateway never
 * sends, so they are a protocol error.
 */
final class OutboundAckHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(OutboundAckHandler.class);
    private static final byte NO_MATCHING_SUBSCRIBERS = 0x10;

    private final ClientConnection connection;

    OutboundAckHandler(ClientConnection connection) {
        this.connection = connection;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof MqttMessage m)) {
            ctx.fireChannelRead(msg);
            return;
        }
        MqttMessageType type = m.fixedHeader().messageType();
        if (type == MqttMessageType.PUBACK) {
            acknowledged(m);
        } else if (type == MqttMessageType.PUBREC || type == MqttMessageType.PUBCOMP) {
            connection.services().metrics().connectionDropped(GatewayMetrics.DropReason.PROTOCOL_ERROR);
            LOG.info("{} sent {} but the server sends no QoS 2 publishes; closing", connection.clientId, type);
            connection.close(DisconnectReason.SERVER_DISCONNECT, MqttReasonCodes.Disconnect.PROTOCOL_ERROR.byteValue(),
                    type + " without a QoS 2 publish", true);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void acknowledged(MqttMessage puback) {
        int packetId = ((MqttMessageIdVariableHeader) puback.variableHeader()).messageId();
        byte code = puback.variableHeader() instanceof MqttPubReplyMessageVariableHeader reply ? reply.reasonCode() : 0;
        OutboundMessage message = connection.acknowledged(packetId);
        if (message == null) {
            return;
        }
        if (message.alarmEventId() != null) {
            connection.alarmFeed().acknowledged(message.alarmEventId());
            return;
        }
        if (code == 0 || code == NO_MATCHING_SUBSCRIBERS) {
            connection.services().commands().delivered(connection.clientId, message.commandId());
        } else {
            LOG.info("{} answered command {} with PUBACK 0x{}; it is sent again on the next connection",
                    connection.clientId, message.commandId(), Integer.toHexString(code & 0xFF));
        }
    }
}
