package io.chargeline.gateway.mqtt;

import io.chargeline.core.device.CertificateSubjects;
import io.chargeline.core.device.ClientKind;
import io.chargeline.core.device.DeviceService;
import io.chargeline.core.device.GatewayMetrics;
import io.chargeline.core.device.GatewayMetrics.ConnectRefusal;
import io.chargeline.core.presence.PresenceListener.DisconnectReason;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first packet must be a CONNECT. Checks who connects — the certificate (already verified against our CA in the
 * handshake) names a provisioned charger or operator whose current certificate it is, and the client id equals
 * its CN — and what it asks for (will topic, keep-alive, session), answers with CONNACK, makes it the live
 * connection for its id (taking over an older one), installs the handlers of an open session and steps aside.
 */
final class ConnectHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectHandler.class);
    static final String NAME = "connect";
    static final String TIMEOUT = "connect-timeout";

    /** Adds the handlers of an open session to the pipeline. */
    interface SessionHandlers {
        void install(ChannelHandlerContext ctx, ClientConnection connection, int keepAliveSeconds);
    }

    private final GatewayServices services;
    private final SessionHandlers sessionHandlers;
    private final EventLoopAcks loopAcks;

    ConnectHandler(GatewayServices services, SessionHandlers sessionHandlers, EventLoopAcks loopAcks) {
        this.services = services;
        this.sessionHandlers = sessionHandlers;
        this.loopAcks = loopAcks;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!(msg instanceof MqttConnectMessage connect)) {
                String type = msg instanceof MqttMessage m ? String.valueOf(m.fixedHeader().messageType()) : "data";
                LOG.info("{} sent {} before CONNECT; closing", ctx.channel().remoteAddress(), type);
                DecodeFailureHandler.discardTheRest(ctx.channel());
                ctx.close();
                return;
            }
            connect(ctx, connect);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            LOG.info("{} sent no CONNECT within {}; closing", ctx.channel().remoteAddress(),
                    services.limits().connectTimeout());
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    private void connect(ChannelHandlerContext ctx, MqttConnectMessage connect) {
        MqttVersion version = MqttVersion.fromProtocolNameAndLevel(connect.variableHeader().name(),
                (byte) connect.variableHeader().version());
        boolean mqtt5 = version == MqttVersion.MQTT_5;
        String clientId = connect.payload().clientIdentifier();
        Refusal refusal = willFlagsRefusal(connect.variableHeader(), mqtt5);
        if (refusal == null) {
            refusal = identityRefusal(ctx, clientId, mqtt5);
        }
        if (refusal == null) {
            refusal = requestRefusal(connect, clientId, mqtt5);
        }
        if (refusal != null) {
            if (refusal.metric != null) {
                services.metrics().connectRefused(refusal.metric);
            }
            LOG.info("{} CONNECT refused: {}", clientId, refusal.why);
            DecodeFailureHandler.discardTheRest(ctx.channel());
            if (refusal.code == null) {
                ctx.close(); // MQTT 3 has no return code for a malformed CONNECT (3.1.1 4.8)
                return;
            }
            MqttProperties properties = mqtt5 ? Packets.reasonString(refusal.why) : MqttProperties.NO_PROPERTIES;
            ctx.writeAndFlush(MqttMessageBuilders.connAck().returnCode(refusal.code).properties(properties).build())
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        accept(ctx, connect, clientId, mqtt5);
    }

    private void accept(ChannelHandlerContext ctx, MqttConnectMessage connect, String clientId, boolean mqtt5) {
        MqttProperties asked = connect.variableHeader().properties();
        MqttProperties granted = new MqttProperties();
        int keepAlive = keepAlive(connect.variableHeader().keepAliveTimeSeconds(), mqtt5, granted);
        Duration expiry = sessionExpiry(connect, mqtt5, granted);
        Instant now = services.clock().instant();
        Sessions.Opened session = services.sessions().open(clientId, connect.variableHeader().isCleanSession(), expiry, now);
        Will will = connect.variableHeader().isWillFlag()
                ? new Will(connect.payload().willTopic(), connect.payload().willMessageInBytes())
                : null;
        int receiveMaximum = intProperty(asked, MqttPropertyType.RECEIVE_MAXIMUM, 65_535);
        long maxPacket = intProperty(asked, MqttPropertyType.MAXIMUM_PACKET_SIZE, Integer.MAX_VALUE) & 0xFFFFFFFFL;
        ClientConnection connection = new ClientConnection(ctx.channel(), clientId, mqtt5, session.state(), will,
                receiveMaximum, maxPacket, services, loopAcks);
        if (mqtt5 && intProperty(asked, MqttPropertyType.REQUEST_PROBLEM_INFORMATION, 1) == 0) {
            connection.withholdReasonStrings();
        }
        if (asked.getProperty(MqttPropertyType.MAXIMUM_PACKET_SIZE.value()) != null) {
            ctx.pipeline().addBefore(MqttGateway.ENCODER, PacketSizeLimit.NAME, new PacketSizeLimit(clientId, maxPacket));
        }
        ctx.channel().attr(DecodeFailureHandler.CONNECTION).set(connection);
        ClientConnection previous = services.sessions().takeOver(connection);
        if (previous != null) {
            LOG.info("{} connected again; closing its previous connection", clientId);
            previous.closeLater(DisconnectReason.TAKEN_OVER, MqttReasonCodes.Disconnect.SESSION_TAKEN_OVER.byteValue(),
                    "another connection with the same client id", false);
        }
        if (mqtt5) {
            advertiseLimits(granted);
        }
        MqttConnAckMessage connAck = MqttMessageBuilders.connAck()
                .returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
                .sessionPresent(session.present())
                .properties(mqtt5 ? granted : MqttProperties.NO_PROPERTIES)
                .build();
        ctx.pipeline().remove(TIMEOUT);
        sessionHandlers.install(ctx, connection, keepAlive);
        ctx.pipeline().remove(this);
        ctx.writeAndFlush(connAck);
        if (connection.kind == ClientKind.CHARGER) {
            services.presence().connected(clientId, now);
            LOG.debug("{} connected", clientId);
        } else {
            LOG.info("{} connected", clientId);
        }
        if (session.present() && !session.state().subscriptions.isEmpty()) {
            SubscribeHandler.resumed(connection);
        }
    }

    /** MQTT 5 clients learn what this server supports and enforces. */
    private void advertiseLimits(MqttProperties granted) {
        granted.add(new MqttProperties.IntegerProperty(MqttPropertyType.RECEIVE_MAXIMUM.value(),
                services.limits().receiveMaximum()));
        granted.add(new MqttProperties.IntegerProperty(MqttPropertyType.TOPIC_ALIAS_MAXIMUM.value(),
                services.limits().topicAliasMaximum()));
        granted.add(new MqttProperties.IntegerProperty(MqttPropertyType.MAXIMUM_PACKET_SIZE.value(),
                services.limits().maxPacketBytes()));
        granted.add(new MqttProperties.IntegerProperty(MqttPropertyType.RETAIN_AVAILABLE.value(), 0));
        granted.add(new MqttProperties.IntegerProperty(MqttPropertyType.WILDCARD_SUBSCRIPTION_AVAILABLE.value(), 1));
        granted.add(new MqttProperties.IntegerProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER_AVAILABLE.value(), 0));
        granted.add(new MqttProperties.IntegerProperty(MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE.value(), 0));
    }

    /** The keep-alive in force: an MQTT 5 client asking for none or more than the maximum gets the maximum. */
    private int keepAlive(int asked, boolean mqtt5, MqttProperties granted) {
        int max = (int) services.limits().maxKeepAlive().toSeconds();
        if (mqtt5 && (asked == 0 || asked > max)) {
            granted.add(new MqttProperties.IntegerProperty(MqttPropertyType.SERVER_KEEP_ALIVE.value(), max));
            return max;
        }
        return asked;
    }

    /** MQTT 5: the asked expiry, capped; MQTT 3: clean session off keeps the session for the maximum. */
    private Duration sessionExpiry(MqttConnectMessage connect, boolean mqtt5, MqttProperties granted) {
        Duration max = services.limits().maxSessionExpiry();
        if (!mqtt5) {
            return connect.variableHeader().isCleanSession() ? Duration.ZERO : max;
        }
        long asked = intProperty(connect.variableHeader().properties(), MqttPropertyType.SESSION_EXPIRY_INTERVAL, 0)
                & 0xFFFFFFFFL;
        if (asked > max.toSeconds()) {
            granted.add(new MqttProperties.IntegerProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(),
                    (int) max.toSeconds()));
            return max;
        }
        return Duration.ofSeconds(asked);
    }

    /** {@code code} null: the connection is closed without a CONNACK. */
    private record Refusal(MqttConnectReturnCode code, String why, ConnectRefusal metric) {}

    private Refusal identityRefusal(ChannelHandlerContext ctx, String clientId, boolean mqtt5) {
        MqttConnectReturnCode notAuthorized = mqtt5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
        X509Certificate cert = peerCertificate(ctx);
        if (cert == null) {
            return new Refusal(notAuthorized, "a client certificate is required", ConnectRefusal.NO_CERTIFICATE);
        }
        if (!services.issuedByOurCa().test(cert)) {
            return new Refusal(notAuthorized, "the client certificate is not issued by this server's CA or has expired",
                    ConnectRefusal.UNTRUSTED_CERTIFICATE);
        }
        String cn = CertificateSubjects.commonName(cert);
        ClientKind kind = ClientKind.of(cn);
        String id = kind.idOf(cn);
        if (id == null) {
            return new Refusal(notAuthorized, "the certificate CN is not a valid charger id or operator:<name>",
                    ConnectRefusal.BAD_CERTIFICATE_CN);
        }
        if (!cn.equals(clientId)) {
            return new Refusal(mqtt5 ? MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID
                    : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                    "the MQTT client id must equal the certificate CN (" + cn + ")", ConnectRefusal.CLIENT_ID_MISMATCH);
        }
        String serial = cert.getSerialNumber().toString(16);
        DeviceService registry = kind == ClientKind.OPERATOR ? services.operators() : services.devices();
        if (!registry.mayConnect(id, serial)) {
            return new Refusal(notAuthorized, "the certificate is revoked or no longer the " + kind.noun()
                    + "'s current one", ConnectRefusal.REVOKED);
        }
        return null;
    }

    /**
     * Will QoS and Will Retain go only with a will, and QoS 3 never (MQTT 3.1.1 3.1.2.6-3.1.2.7, MQTT 5 the same);
     * the codec leaves these bits to us. Null code: MQTT 3 is closed without a CONNACK.
     */
    private Refusal willFlagsRefusal(MqttConnectVariableHeader header, boolean mqtt5) {
        Refusal refusal = null;
        if (header.isWillFlag() && header.willQos() == 3) {
            refusal = new Refusal(mqtt5 ? MqttConnectReturnCode.CONNECTION_REFUSED_MALFORMED_PACKET : null,
                    "will QoS 3", null);
        } else if (!header.isWillFlag() && (header.willQos() != 0 || header.isWillRetain())) {
            refusal = new Refusal(mqtt5 ? MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR : null,
                    "will QoS or will retain set without a will", null);
        }
        if (refusal != null) {
            services.metrics().connectionDropped(GatewayMetrics.DropReason.MALFORMED_PACKET);
        }
        return refusal;
    }

    private static Refusal requestRefusal(MqttConnectMessage connect, String clientId, boolean mqtt5) {
        MqttProperties asked = connect.variableHeader().properties();
        if (mqtt5 && asked.getProperty(MqttPropertyType.AUTHENTICATION_METHOD.value()) != null) {
            return new Refusal(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD,
                    "enhanced authentication is not supported; the client certificate is the identity", null);
        }
        if (mqtt5 && intProperty(asked, MqttPropertyType.RECEIVE_MAXIMUM, 1) == 0) {
            return new Refusal(MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR, "receive maximum must not be 0",
                    null);
        }
        if (!connect.variableHeader().isWillFlag()) {
            return null;
        }
        if (mqtt5 && connect.variableHeader().isWillRetain()) {
            return new Refusal(MqttConnectReturnCode.CONNECTION_REFUSED_RETAIN_NOT_SUPPORTED,
                    "retained messages are not supported", null);
        }
        if (ClientKind.of(clientId) != ClientKind.CHARGER
                || !TopicRules.telemetryTopic(clientId).equals(connect.payload().willTopic())) {
            return new Refusal(mqtt5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                    : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
                    "a will may only be published to the charger's own topic, " + TopicRules.telemetryTopic(clientId),
                    null);
        }
        return null;
    }

    private static X509Certificate peerCertificate(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        try {
            Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    private static int intProperty(MqttProperties properties, MqttPropertyType type, int absent) {
        MqttProperties.MqttProperty<?> p = properties.getProperty(type.value());
        return p != null && p.value() instanceof Integer i ? i : absent;
    }

    /** Closes connections that send no CONNECT in time (so an idle socket cannot hold a slot). */
    static IdleStateHandler timeout(Duration connectTimeout) {
        return new IdleStateHandler(connectTimeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS);
    }
}
