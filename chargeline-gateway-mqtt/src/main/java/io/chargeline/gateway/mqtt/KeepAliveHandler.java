package io.chargeline.gateway.mqtt;

import io.chargeline.core.device.GatewayMetrics;
import io.chargeline.core.presence.PresenceListener.DisconnectReason;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a connection that sent nothing for 1.5 times its keep-alive (MQTT 3.1.1 3.1.2.10, MQTT 5 3.1.2.10). Silence
 * while the gateway itself stopped reading (backpressure) is not the client's, so it does not count.
 */
final class KeepAliveHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(KeepAliveHandler.class);

    private final ClientConnection connection;
    private final int keepAliveSeconds;

    KeepAliveHandler(ClientConnection connection, int keepAliveSeconds) {
        this.connection = connection;
        this.keepAliveSeconds = keepAliveSeconds;
    }

    /** Fires when 1.5 × {@code keepAliveSeconds} pass without a read. */
    static IdleStateHandler idleTimer(int keepAliveSeconds) {
        return new IdleStateHandler(keepAliveSeconds * 1500L, 0, 0, TimeUnit.MILLISECONDS);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (!(event instanceof IdleStateEvent)) {
            super.userEventTriggered(ctx, event);
            return;
        }
        if (connection.paused() || connection.closing()) {
            return;
        }
        connection.services().metrics().connectionDropped(GatewayMetrics.DropReason.KEEP_ALIVE_TIMEOUT);
        LOG.info("{} sent nothing within 1.5 × its keep-alive of {} s; closing", connection.clientId, keepAliveSeconds);
        connection.close(DisconnectReason.KEEP_ALIVE_TIMEOUT, MqttReasonCodes.Disconnect.KEEP_ALIVE_TIMEOUT.byteValue(),
                "keep-alive timeout", true);
    }
}
