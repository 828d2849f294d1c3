package io.chargeline.gateway.mqtt;

import io.chargeline.core.device.ClientKind;
import io.chargeline.core.device.GatewayMetrics;
import io.chargeline.core.presence.PresenceListener.DisconnectReason;
import io.chargeline.core.telemetry.IngestPipeline;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of an open session: PINGREQ, DISCONNECT, and every packet a client may not send (a second
 * CONNECT, CONNACK, SUBACK, ...), which is a protocol error. When the channel closes it ends the session: the will
 * of an abnormal end is ingested, the session is kept if persistent, and presence learns why it ended.
 */
final class ControlHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ControlHandler.class);
    private static final byte DISCONNECT_WITH_WILL = 0x04;

    private final ClientConnection connection;

    ControlHandler(ClientConnection connection) {
        this.connection = connection;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!(msg instanceof MqttMessage m)) {
                return;
            }
            MqttMessageType type = m.fixedHeader().messageType();
            if (type == MqttMessageType.PINGREQ) {
                ctx.writeAndFlush(Packets.PINGRESP, ctx.voidPromise());
            } else if (type == MqttMessageType.DISCONNECT) {
                byte code = m.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader h ? h.reasonCode() : 0;
                connection.clientDisconnected(code == DISCONNECT_WITH_WILL);
            } else {
                connection.services().metrics().connectionDropped(GatewayMetrics.DropReason.PROTOCOL_ERROR);
                LOG.info("{} sent {}, which a client may not send{}; closing", connection.clientId, type,
                        type == MqttMessageType.CONNECT ? " twice" : "");
                connection.close(DisconnectReason.SERVER_DISCONNECT,
                        MqttReasonCodes.Disconnect.PROTOCOL_ERROR.byteValue(), type + " is not allowed here", true);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        connection.writabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("{} connection error: {}", connection.clientId, cause.getMessage());
        } else {
            LOG.warn("{} connection failed: {}", connection.clientId, cause.toString(), cause);
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Instant now = connection.services().clock().instant();
        GatewayServices services = connection.services();
        // unacknowledged commands are resent by the command service; alarm events replay from the session's feed
        connection.unacknowledgedOutbound();
        services.sessions().ended(connection, now);
        Will will = connection.takeWill();
        DisconnectReason reason = connection.endReason();
        if (will != null && connection.willWanted()) {
            publishWill(will, now);
        }
        if (connection.kind == ClientKind.CHARGER) {
            services.presence().disconnected(connection.clientId, now, reason);
            LOG.debug("{} disconnected ({})", connection.clientId, reason);
        } else {
            LOG.info("{} disconnected ({})", connection.clientId, reason);
        }
        ctx.fireChannelInactive();
    }

    /** A will is telemetry like any publish: validated, then stored or kept as a dead letter. */
    private void publishWill(Will will, Instant now) {
        IngestPipeline.Submission submission = connection.services().pipeline()
                .accept(will.topic(), connection.clientId, will.payload(), now);
        if (submission.overloaded()) {
            LOG.warn("{} will not ingested: the ingest queue is full", connection.clientId);
        } else {
            LOG.info("{} connection ended ({}); its will was ingested{}", connection.clientId, connection.endReason(),
                    submission.rejected() == null ? "" : " as a dead letter (" + submission.rejected().reason() + ")");
        }
    }
}
