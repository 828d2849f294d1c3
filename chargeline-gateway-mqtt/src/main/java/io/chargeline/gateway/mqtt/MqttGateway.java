package io.chargeline.gateway.mqtt;

import io.chargeline.core.alarm.AlarmEvents;
import io.chargeline.core.alarm.AlarmFeeds;
import io.chargeline.core.command.CommandChannel;
import io.chargeline.core.command.CommandInbox;
import io.chargeline.core.device.DeviceService;
import io.chargeline.core.device.DeviceSessions;
import io.chargeline.core.device.GatewayMetrics;
import io.chargeline.core.presence.PresenceListener;
import io.chargeline.core.presence.PresenceListener.DisconnectReason;
import io.chargeline.core.telemetry.IngestPipeline;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device gateway: MQTT 3.1, 3.1.1 and 5 over mutual TLS on Netty, for chargers and operator clients. It is not
 * a general broker: it takes telemetry and command replies into the ingest pipeline and acknowledges each only
 * once its outcome is durable, and it delivers commands and alarm events. A message crosses no thread on its way
 * in except to the one ingest writer.
 */
public final class MqttGateway implements DeviceSessions, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MqttGateway.class);
    /** The pipeline name of the MQTT encoder, before which connections may add a {@link PacketSizeLimit}. */
    static final String ENCODER = "encoder";
    /** A commit must answer within this; after it the message counts as not durable and the client is dropped. */
    static final Duration OUTCOME_TIMEOUT = Duration.ofSeconds(60);
    /** Client ids are charger ids (up to 128 characters) or {@code operator:<name>}. */
    private static final int MAX_CLIENT_ID_LENGTH = 256;

    private final EventLoopGroup acceptor;
    private final EventLoopGroup loops;
    private final Channel server;
    private final Sessions sessions;
    private final PresenceWorker presence;
    private final AlarmLog alarmLog;
    private final AlarmTopic alarms;
    private final MqttCommandChannel commandChannel;
    private final ScheduledFuture<?> housekeeping;
    private final String bindAddress;
    private final String engine;

    private MqttGateway(EventLoopGroup acceptor, EventLoopGroup loops, Channel server, Sessions sessions,
            PresenceWorker presence, AlarmLog alarmLog, AlarmTopic alarms, MqttCommandChannel commandChannel,
            ScheduledFuture<?> housekeeping, String bindAddress, String engine) {
        this.acceptor = acceptor;
        this.loops = loops;
        this.server = server;
        this.sessions = sessions;
        this.presence = presence;
        this.alarmLog = alarmLog;
        this.alarms = alarms;
        this.commandChannel = commandChannel;
        this.housekeeping = housekeeping;
        this.bindAddress = bindAddress;
        this.engine = engine;
    }

    /**
     * Starts listening and returns once bound.
     *
     * @param devices the chargers that may connect
     * @param operators the operator clients that may connect to watch alarms ({@link DeviceService#forOperators})
     * @param presence told of chargers' connects and disconnects
     * @param commands told of chargers' subscriptions, command PUBACKs and replies
     * @param alarmFeeds the alarm event log operators' sessions replay from, and where those sessions are kept
     */
    public static MqttGateway start(MqttGatewaySettings settings, IngestPipeline pipeline, DeviceService devices,
            DeviceService operators, GatewayMetrics metrics, PresenceListener presence, CommandInbox commands,
            AlarmFeeds alarmFeeds, Clock clock) {
        Transport transport = Transport.best();
        ServerTls.Context tls = ServerTls.build(settings);
        EventLoopGroup acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("chargeline-mqtt-accept"),
                transport.ioHandlers());
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("chargeline-mqtt-io"),
                transport.ioHandlers());
        Map<EventLoop, EventLoopAcks> loopAcks = new IdentityHashMap<>();
        int loopCount = 0;
        for (EventExecutor executor : loops) {
            loopAcks.put((EventLoop) executor, new EventLoopAcks((EventLoop) executor));
            loopCount++;
        }
        PresenceWorker presenceWorker = new PresenceWorker(presence);
        AlarmLog alarmLog = new AlarmLog(alarmFeeds);
        Sessions sessions = new Sessions(alarmLog, clock.instant());
        AlarmTopic alarmTopic = new AlarmTopic(sessions, alarmFeeds.lastEventId().orElse(null));
        GatewayServices services = new GatewayServices(pipeline, devices, operators, settings.issuedByOurCa(), metrics,
                presenceWorker, commands, clock, settings.limits(), sessions, alarmLog, alarmTopic);
        IngestPath ingest = new IngestPath(services);
        DecodeFailureHandler decodeFailures = new DecodeFailureHandler(metrics);
        ConnectHandler.SessionHandlers sessionHandlers = (ctx, connection, keepAlive) -> {
            ChannelPipeline p = ctx.pipeline();
            if (keepAlive > 0) {
                p.addLast("keep-alive-timer", KeepAliveHandler.idleTimer(keepAlive));
                p.addLast("keep-alive", new KeepAliveHandler(connection, keepAlive));
            }
            p.addLast("publish", new PublishHandler(connection, ingest));
            p.addLast("subscribe", new SubscribeHandler(connection));
            p.addLast("outbound-acks", new OutboundAckHandler(connection));
            p.addLast("control", new ControlHandler(connection));
        };
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, loops)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast("tls", tls.ssl().newHandler(ch.alloc()))
                                .addLast("decoder", new MqttDecoder(settings.limits().maxPacketBytes(), MAX_CLIENT_ID_LENGTH))
                                .addLast(ENCODER, MqttEncoder.INSTANCE)
                                .addLast("decode-failures", decodeFailures)
                                .addLast(ConnectHandler.TIMEOUT, ConnectHandler.timeout(settings.limits().connectTimeout()))
                                .addLast(ConnectHandler.NAME,
                                        new ConnectHandler(services, sessionHandlers, loopAcks.get(ch.eventLoop())));
                    }
                });
        Channel server;
        try {
            server = bootstrap.bind(settings.bindAddress(), settings.port()).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            presenceWorker.close();
            alarmLog.close();
            throw new IllegalStateException("gateway: cannot listen on " + settings.bindAddress() + ":" + settings.port()
                    + " (" + e.getMessage() + "); is the port in use? Pick another with --mqtt-port", e);
        }
        ScheduledFuture<?> housekeeping = loops.next().scheduleAtFixedRate(
                () -> housekeeping(sessions, clock), 5, 5, TimeUnit.SECONDS);
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        String engine = transport.name() + " transport, " + loopCount + " event loops, TLS by " + tls.provider();
        LOG.info("gateway: MQTT 3.1/3.1.1/5 over mutual TLS on {}:{} ({})", settings.bindAddress(), port, engine);
        return new MqttGateway(acceptor, loops, server, sessions, presenceWorker, alarmLog, alarmTopic,
                new MqttCommandChannel(sessions, clock), housekeeping, settings.bindAddress(), engine);
    }

    /** Drops connections whose commits stalled, and sessions whose clients stayed away past their expiry. */
    private static void housekeeping(Sessions sessions, Clock clock) {
        long now = System.nanoTime();
        for (ClientConnection c : sessions.allLive()) {
            c.channel.eventLoop().execute(() -> c.checkStalled(now, OUTCOME_TIMEOUT));
        }
        int expired = sessions.sweep(clock.instant());
        if (expired > 0) {
            LOG.info("gateway: {} persistent sessions expired", expired);
        }
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    public String bindAddress() {
        return bindAddress;
    }

    /** Which transport and TLS implementation run, for the start banner (e.g. "epoll transport, ... BoringSSL"). */
    public String engine() {
        return engine;
    }

    /** Chargers connected and authenticated right now. */
    public int connectedDevices() {
        return sessions.connectedChargers();
    }

    /** Persistent sessions kept now, connected or away. */
    public int keptSessions() {
        return sessions.keptSessions();
    }

    /** Where to send raised and cleared alarms so operator clients get them on {@code $chargeline/alarms/#}. */
    public AlarmEvents alarmTopic() {
        return alarms;
    }

    /** Publishes commands to chargers. */
    public CommandChannel commandChannel() {
        return commandChannel;
    }

    /** Revocation: the client's live connection is closed now and its kept session forgotten. */
    @Override
    public void disconnect(String clientId) {
        sessions.forget(clientId);
        ClientConnection live = sessions.live(clientId);
        if (live != null) {
            LOG.info("{} disconnected by the server: its certificate was revoked", clientId);
            live.closeLater(DisconnectReason.REVOKED, MqttReasonCodes.Disconnect.NOT_AUTHORIZED.byteValue(),
                    "certificate revoked", false);
        }
    }

    /** Stops accepting, closes every connection (MQTT 5: DISCONNECT 0x8B), then stops the event loops. */
    @Override
    public void close() {
        housekeeping.cancel(false);
        server.close().syncUninterruptibly();
        for (ClientConnection c : sessions.allLive()) {
            c.closeLater(DisconnectReason.SERVER_DISCONNECT, MqttReasonCodes.Disconnect.SERVER_SHUTTING_DOWN.byteValue(),
                    "server shutting down", false);
        }
        loops.shutdownGracefully(100, 5_000, TimeUnit.MILLISECONDS).syncUninterruptibly();
        acceptor.shutdownGracefully(0, 1_000, TimeUnit.MILLISECONDS).syncUninterruptibly();
        presence.close();
        alarmLog.close();
        LOG.info("gateway: stopped");
    }
}
