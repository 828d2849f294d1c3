package io.chargeline.gateway.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Maximum Packet Size an MQTT 5 client set at CONNECT, applied to the encoded packets the gateway sends it: a
 * larger one is discarded unsent (MQTT-3.1.2-24) and its write fails with {@link TooLarge}, so the sender can
 * behave as if it had been delivered (alarm events) or give it up with a reason (commands). Sits between the
 * encoder and TLS; only connections whose client set a limit have it.
 */
final class PacketSizeLimit extends ChannelOutboundHandlerAdapter {
    static final String NAME = "packet-size-limit";
    private static final Logger LOG = LoggerFactory.getLogger(PacketSizeLimit.class);

    private final String clientId;
    private final long maxBytes;

    PacketSizeLimit(String clientId, long maxBytes) {
        this.clientId = clientId;
        this.maxBytes = maxBytes;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf packet && packet.readableBytes() > maxBytes) {
            TooLarge tooLarge = new TooLarge(packet.readableBytes(), maxBytes);
            ReferenceCountUtil.release(packet);
            if (promise.isVoid()) {
                LOG.info("{}: {}; discarded", clientId, tooLarge.getMessage());
            } else {
                promise.setFailure(tooLarge);
            }
            return;
        }
        ctx.write(msg, promise);
    }

    /** A packet the client said it cannot take. */
    static final class TooLarge extends RuntimeException {
        TooLarge(int bytes, long maxBytes) {
            super("the packet (" + bytes + " bytes) exceeds the client's Maximum Packet Size of " + maxBytes + " bytes",
                    null, false, false);
        }
    }
}
