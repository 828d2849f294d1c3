package io.chargeline.gateway.mqtt;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Native epoll where it loads (Linux x86-64 here), Java NIO elsewhere, said once at start. */
record Transport(String name, IoHandlerFactory ioHandlers, Class<? extends ServerChannel> serverChannel) {
    private static final Logger LOG = LoggerFactory.getLogger(Transport.class);

    static Transport best() {
        if (Epoll.isAvailable()) {
            return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
        }
        LOG.warn("gateway: native epoll transport not available ({}); using Java NIO, which costs more CPU per message",
                String.valueOf(Epoll.unavailabilityCause()));
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class);
    }
}
