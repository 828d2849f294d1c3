package io.chargeline.gateway.mqtt;

import io.chargeline.core.device.GatewayMetrics;
import io.chargeline.core.presence.PresenceListener.DisconnectReason;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a packet the codec could not decode, as the specs say, and closes the connection: a bad CONNECT gets a
 * CONNACK with the matching code (unsupported version, rejected client id, malformed), a bad packet after it an
 * MQTT 5 DISCONNECT (0x81 malformed, 0x95 too large). The decoder discards everything after the first bad packet,
 * so each connection logs this once. Once the server is closing a connection, for whatever reason, the packets
 * still decoded from what it had already received are dropped here unread, so none of them is answered or logged.
 */
@io.netty.channel.ChannelHandler.Sharable
final class DecodeFailureHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(DecodeFailureHandler.class);
    /** The codec's own key for the protocol version of the CONNECT it decoded. */
    private static final AttributeKey<MqttVersion> VERSION = AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");
    static final AttributeKey<ClientConnection> CONNECTION = AttributeKey.valueOf("chargeline.connection");
    /** Set on a connection without a session yet that the server is closing. */
    private static final AttributeKey<Boolean> DISCARDING = AttributeKey.valueOf("chargeline.discarding");

    private final GatewayMetrics metrics;

    DecodeFailureHandler(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    /** Whatever is still decoded from {@code channel} is dropped: the server is closing it before a session began. */
    static void discardTheRest(Channel channel) {
        channel.attr(DISCARDING).set(Boolean.TRUE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ClientConnection open = ctx.channel().attr(CONNECTION).get();
        if (open != null ? open.closing() : Boolean.TRUE.equals(ctx.channel().attr(DISCARDING).get())) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!(msg instanceof MqttMessage m) || m.decoderResult().isSuccess()) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            Throwable cause = m.decoderResult().cause();
            boolean tooLarge = cause instanceof TooLongFrameException;
            metrics.connectionDropped(tooLarge ? GatewayMetrics.DropReason.PACKET_TOO_LARGE
                    : GatewayMetrics.DropReason.MALFORMED_PACKET);
            ClientConnection connection = ctx.channel().attr(CONNECTION).get();
            String who = connection != null ? connection.clientId : String.valueOf(ctx.channel().remoteAddress());
            LOG.info("{} sent a packet that cannot be decoded ({}); closing", who, cause.getMessage());
            if (connection != null) {
                byte code = tooLarge ? MqttReasonCodes.Disconnect.PACKET_TOO_LARGE.byteValue()
                        : MqttReasonCodes.Disconnect.MALFORMED_PACKET.byteValue();
                connection.close(DisconnectReason.SERVER_DISCONNECT, code, cause.getMessage(), true);
            } else if (m.fixedHeader() != null && m.fixedHeader().messageType() == MqttMessageType.CONNECT
                    && connectCode(ctx, cause) != null) {
                ctx.writeAndFlush(MqttMessageBuilders.connAck().returnCode(connectCode(ctx, cause)).build())
                        .addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.close();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** The CONNACK code for a CONNECT that failed to decode, or null when the connection is only closed. */
    private static MqttConnectReturnCode connectCode(ChannelHandlerContext ctx, Throwable cause) {
        boolean mqtt5 = ctx.channel().attr(VERSION).get() == MqttVersion.MQTT_5;
        if (cause instanceof MqttUnacceptableProtocolVersionException) {
            return MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION;
        }
        if (cause instanceof MqttIdentifierRejectedException) {
            return mqtt5 ? MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID
                    : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED;
        }
        if (cause instanceof TooLongFrameException && mqtt5) {
            return MqttConnectReturnCode.CONNECTION_REFUSED_PACKET_TOO_LARGE;
        }
        return mqtt5 ? MqttConnectReturnCode.CONNECTION_REFUSED_MALFORMED_PACKET : null; // MQTT 3: just close
    }
}
