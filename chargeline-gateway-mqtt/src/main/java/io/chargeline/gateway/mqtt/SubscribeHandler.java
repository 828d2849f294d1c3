package io.chargeline.gateway.mqtt;

import io.chargeline.core.device.ClientKind;
import io.chargeline.core.device.GatewayMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SUBSCRIBE and UNSUBSCRIBE within the topic rules. Everything the gateway sends is QoS 1, so a subscription is
 * granted at most QoS 1. A granted charger subscription lets its waiting commands go out; an operator's starts its
 * alarm feed.
 */
final class SubscribeHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(SubscribeHandler.class);
    private static final int MQTT3_FAILURE = 0x80;

    private final ClientConnection connection;

    SubscribeHandler(ClientConnection connection) {
        this.connection = connection;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof MqttSubscribeMessage subscribe) {
            subscribe(ctx, subscribe);
        } else if (msg instanceof MqttUnsubscribeMessage unsubscribe) {
            unsubscribe(ctx, unsubscribe);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void subscribe(ChannelHandlerContext ctx, MqttSubscribeMessage subscribe) {
        List<MqttTopicSubscription> asked = subscribe.payload().topicSubscriptions();
        int[] codes = new int[asked.size()];
        boolean granted = false;
        for (int i = 0; i < codes.length; i++) {
            String filter = asked.get(i).topicFilter();
            codes[i] = decide(filter, Math.min(1, asked.get(i).qualityOfService().value()));
            if (codes[i] <= 1) {
                connection.session.subscriptions.add(filter);
                granted = true;
            }
        }
        if (granted && connection.kind == ClientKind.OPERATOR) {
            connection.alarmFeed().start(); // before the SUBACK: what is announced once the client has it is sent
            connection.services().alarmLog().keep(connection.session); // with its feed's starting point
        }
        ctx.writeAndFlush(Packets.subAck(subscribe.variableHeader().messageId(), codes));
        if (granted && connection.kind == ClientKind.CHARGER) {
            connection.services().commands().subscribed(connection.clientId);
        }
    }

    /** The granted QoS, or the refusal's reason code (MQTT 3: 0x80). */
    private int decide(String filter, int qos) {
        String clientId = connection.clientId;
        if (!validFilter(filter)) {
            LOG.info("{} SUBSCRIBE to '{}' refused: not a valid topic filter", clientId, filter);
            return connection.mqtt5 ? MqttReasonCodes.SubAck.TOPIC_FILTER_INVALID.byteValue() & 0xFF : MQTT3_FAILURE;
        }
        if (filter.startsWith("$share/")) {
            LOG.info("{} SUBSCRIBE to '{}' refused: shared subscriptions are not supported", clientId, filter);
            return connection.mqtt5
                    ? MqttReasonCodes.SubAck.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED.byteValue() & 0xFF : MQTT3_FAILURE;
        }
        if (!TopicRules.maySubscribe(clientId, filter)) {
            connection.services().metrics().topicRefused(GatewayMetrics.TopicAction.SUBSCRIBE);
            LOG.info("{} SUBSCRIBE to '{}' refused: {}", clientId, filter, TopicRules.whyNotSubscribe(clientId));
            return connection.mqtt5 ? MqttReasonCodes.SubAck.NOT_AUTHORIZED.byteValue() & 0xFF : MQTT3_FAILURE;
        }
        return qos;
    }

    private void unsubscribe(ChannelHandlerContext ctx, MqttUnsubscribeMessage unsubscribe) {
        List<Short> codes = new ArrayList<>();
        for (String filter : unsubscribe.payload().topics()) {
            boolean had = connection.session.subscriptions.remove(filter);
            codes.add(had ? 0 : (short) (MqttReasonCodes.UnsubAck.NO_SUBSCRIPTION_EXISTED.byteValue() & 0xFF));
        }
        connection.services().alarmLog().keep(connection.session);
        ctx.writeAndFlush(Packets.unsubAck(unsubscribe.variableHeader().messageId(), codes));
    }

    /**
     * The session has subscriptions (new, or kept from an earlier connection): a charger's waiting commands go out,
     * an operator's alarm feed starts (replaying what a kept session missed).
     */
    static void resumed(ClientConnection connection) {
        if (connection.kind == ClientKind.CHARGER) {
            connection.services().commands().subscribed(connection.clientId);
        } else {
            connection.alarmFeed().start();
        }
    }

    /** MQTT filter syntax: not empty, {@code #} only as the whole last level, {@code +} only as a whole level. */
    static boolean validFilter(String filter) {
        if (filter.isEmpty()) {
            return false;
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                return false;
            }
            if (level.contains("+") && !level.equals("+")) {
                return false;
            }
        }
        return true;
    }
}
