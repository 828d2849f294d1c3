package io.chargeline.gateway.mqtt;

import io.chargeline.core.device.ClientKind;
import io.chargeline.core.device.GatewayMetrics;
import io.chargeline.core.presence.PresenceListener.DisconnectReason;
import io.chargeline.core.telemetry.IngestResult;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated MQTT connection: who it is, its session, and the state its handlers share — the ordered
 * queue of acknowledgements, publishes parked while the ingest queue is full, outbound QoS 1 publishes awaiting
 * the client's PUBACK, and how it ends. Everything here runs on the connection's event loop, except where said.
 */
final class ClientConnection {
    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);

    final Channel channel;
    final String clientId;
    final ClientKind kind;
    final boolean mqtt5;
    final SessionState session;
    final int clientReceiveMaximum;
    final long clientMaxPacketBytes;
    private final GatewayServices services;
    private final EventLoopAcks loopAcks;
    private Will will;

    private final ArrayDeque<PendingAck> acks = new ArrayDeque<>();
    /** QoS 2 publishes being committed, by packet id: the first copy's acknowledgement. */
    private final Map<Integer, PendingAck> qos2Committing = new HashMap<>();
    private final ArrayDeque<InboundPublish> parked = new ArrayDeque<>();
    private final String[] topicAliases;
    private boolean pausedForOverload;
    private boolean pausedForAcks;
    private boolean pausedForWrites;
    private boolean unflushed;
    private boolean touched;

    private final Map<Integer, OutboundMessage> outbound = new LinkedHashMap<>();
    private final ArrayDeque<OutboundMessage> outboundWaiting = new ArrayDeque<>();
    private int lastPacketId;
    private final OperatorFeed alarmFeed;

    private boolean closing;
    private DisconnectReason endReason = DisconnectReason.CONNECTION_LOST;
    private boolean willWanted = true;
    private boolean reasonStringsWanted = true;

    ClientConnection(Channel channel, String clientId, boolean mqtt5, SessionState session, Will will,
            int clientReceiveMaximum, long clientMaxPacketBytes, GatewayServices services, EventLoopAcks loopAcks) {
        this.channel = channel;
        this.clientId = clientId;
        this.kind = ClientKind.of(clientId);
        this.mqtt5 = mqtt5;
        this.session = session;
        this.will = will;
        this.clientReceiveMaximum = clientReceiveMaximum;
        this.clientMaxPacketBytes = clientMaxPacketBytes;
        this.services = services;
        this.loopAcks = loopAcks;
        this.topicAliases = new String[services.limits().topicAliasMaximum() + 1];
        this.alarmFeed = kind == ClientKind.OPERATOR ? new OperatorFeed(this) : null;
    }

    EventLoopAcks loopAcks() {
        return loopAcks;
    }

    GatewayServices services() {
        return services;
    }

    // ---- inbound acknowledgements, in arrival order

    void enqueue(PendingAck ack) {
        acks.addLast(ack);
        if (ack.type == MqttMessageType.PUBREC && !ack.ready) {
            qos2Committing.putIfAbsent(ack.packetId, ack);
        }
        if (ack.ready) {
            writeReadyAcks();
        } else if (!mqtt5 && acks.size() >= services.limits().receiveMaximum()) {
            pausedForAcks = true; // MQTT 3 has no flow control of its own: stop reading until commits catch up
            updateAutoRead();
        }
    }

    /** Publishes whose acknowledgement has not been written yet, plus QoS 2 ones awaiting release. */
    int unacknowledged() {
        return acks.size() + session.awaitingRelease.size();
    }

    /**
     * A QoS 2 publish sent again while its first copy is being committed: its PUBREC waits in line and carries that
     * commit's outcome (MQTT 3.1.1 4.3.3, MQTT-4.3.3-10: every PUBLISH before the PUBREL is answered with a PUBREC).
     * False when no copy of {@code packetId} is being committed.
     */
    boolean resentWhileCommitting(int packetId, long receivedNanos) {
        PendingAck first = qos2Committing.get(packetId);
        if (first == null) {
            return false;
        }
        PendingAck again = new PendingAck(this, MqttMessageType.PUBREC, packetId, receivedNanos);
        first.answersAlso(again);
        enqueue(again);
        return true;
    }

    /** Marks a durable outcome; true the first time this connection is touched in an {@link EventLoopAcks} run. */
    boolean outcomeArrived(PendingAck ack) {
        if (ack.failure != null) {
            notDurable(ack.failure);
        } else if (ack.outcome instanceof IngestResult.Refused refused && mqtt5) {
            ack.reasonCode = MqttReasonCodes.PubAck.PAYLOAD_FORMAT_INVALID.byteValue();
            ack.reason = refused.reason() + ": " + refused.detail();
        }
        if (ack.type == MqttMessageType.PUBREC && ack.failure == null && ack.reasonCode == 0) {
            // stored: the session remembers it even when this connection is already gone, so a resend on the
            // session's next connection is answered instead of stored again
            session.awaitingRelease.add(ack.packetId);
        }
        ack.ready = true;
        ack.readyResends();
        boolean first = !touched;
        touched = true;
        return first;
    }

    /** Writes the acknowledgements at the head of the queue that are ready; {@link #flush} sends them. */
    void writeReadyAcks() {
        touched = false;
        PendingAck head;
        while ((head = acks.peekFirst()) != null && head.ready) {
            acks.pollFirst();
            if (closing) {
                continue; // a connection being dropped acknowledges nothing more
            }
            if (head.type == MqttMessageType.PUBREC) {
                qos2Committing.remove(head.packetId, head);
                if (head.reasonCode == 0) {
                    session.awaitingRelease.add(head.packetId);
                }
            }
            channel.write(Packets.pubReply(head.type, head.packetId, head.reasonCode, ackReason(head.reason)),
                    channel.voidPromise());
            unflushed = true;
            if (head.type != MqttMessageType.PUBCOMP) {
                services.metrics().pubackLatency(Duration.ofNanos(System.nanoTime() - head.receivedNanos));
            }
        }
        if (pausedForAcks && acks.size() <= services.limits().receiveMaximum() / 2) {
            pausedForAcks = false;
            updateAutoRead();
        }
    }

    void flush() {
        if (unflushed) {
            unflushed = false;
            channel.flush();
        }
    }

    /** A message of this connection could not be made durable: drop it before anything else is acknowledged. */
    private void notDurable(Throwable failure) {
        if (closing) {
            return;
        }
        services.metrics().connectionDropped(GatewayMetrics.DropReason.NOT_DURABLE);
        LOG.warn("{} message not stored ({}); disconnecting it before the acknowledgement so it resends", clientId,
                failure.getMessage());
        close(DisconnectReason.SERVER_DISCONNECT, MqttReasonCodes.Disconnect.UNSPECIFIED_ERROR.byteValue(),
                "message not stored; send it again", true);
    }

    // ---- backpressure

    boolean hasParked() {
        return !parked.isEmpty();
    }

    /** Holds a publish the full ingest queue refused, and stops reading until there is room. */
    void park(InboundPublish publish) {
        parked.addLast(publish);
        if (!pausedForOverload) {
            pausedForOverload = true;
            updateAutoRead();
        }
    }

    InboundPublish peekParked() {
        return parked.peekFirst();
    }

    void unpark() {
        parked.pollFirst();
        if (parked.isEmpty() && pausedForOverload) {
            pausedForOverload = false;
            updateAutoRead();
        }
    }

    /** True while the gateway itself stopped reading (so silence is not the client's fault). */
    boolean paused() {
        return pausedForOverload || pausedForAcks || pausedForWrites;
    }

    /**
     * A client that does not read what it is sent (its acknowledgements) is not read either, so what waits for it
     * stays below the channel's write buffer high-water mark.
     */
    void writabilityChanged() {
        pausedForWrites = !channel.isWritable();
        updateAutoRead();
    }

    /** Drops the connection when its oldest unanswered publish has waited too long for its commit. */
    void checkStalled(long nowNanos, Duration limit) {
        PendingAck head = acks.peekFirst();
        if (head != null && !head.ready && nowNanos - head.receivedNanos > limit.toNanos()) {
            notDurable(new java.util.concurrent.TimeoutException("no commit within " + limit));
        }
    }

    private void updateAutoRead() {
        channel.config().setAutoRead(!paused() && !closing);
    }

    // ---- topic aliases (MQTT 5, inbound)

    int topicAliasMaximum() {
        return topicAliases.length - 1;
    }

    String alias(int alias) {
        return topicAliases[alias];
    }

    void setAlias(int alias, String topic) {
        topicAliases[alias] = topic;
    }

    // ---- outbound QoS 1 publishes (commands, alarm events)

    /** Sends now if the client's receive maximum allows, else queues. Event loop only. */
    void send(OutboundMessage message) {
        if (closing) {
            return; // commands are resent by the command service, alarm events replayed from the alarm store
        }
        if (outbound.size() >= clientReceiveMaximum) {
            outboundWaiting.addLast(message);
            return;
        }
        int packetId = nextPacketId();
        outbound.put(packetId, message);
        ChannelFuture written = channel.writeAndFlush(Packets.publish(message.topic(), packetId,
                Unpooled.wrappedBuffer(message.payload()),
                mqtt5 ? message.properties() : io.netty.handler.codec.mqtt.MqttProperties.NO_PROPERTIES));
        written.addListener(f -> {
            if (f.cause() instanceof PacketSizeLimit.TooLarge tooLarge) {
                discarded(packetId, tooLarge.getMessage());
            }
        });
    }

    /**
     * An outbound publish the client's Maximum Packet Size does not allow was not sent. As MQTT-3.1.2-25 asks, the
     * gateway goes on as if it had been delivered: the operator's feed moves past the alarm event (the alarm API
     * still has it), and a command fails with the reason rather than waiting for an acknowledgement that cannot come.
     */
    private void discarded(int packetId, String why) {
        OutboundMessage message = acknowledged(packetId);
        if (message == null) {
            return;
        }
        if (message.alarmEventId() != null) {
            LOG.warn("{} alarm event {} not sent: {}", clientId, message.alarmEventId(), why);
            alarmFeed.acknowledged(message.alarmEventId());
        } else {
            services.commands().undeliverable(clientId, message.commandId(), "not sent: " + why);
        }
    }

    /** The client acknowledged an outbound publish; returns it, or null for an unknown packet id. */
    OutboundMessage acknowledged(int packetId) {
        OutboundMessage message = outbound.remove(packetId);
        OutboundMessage next;
        while (outbound.size() < clientReceiveMaximum && (next = outboundWaiting.pollFirst()) != null) {
            send(next);
        }
        if (alarmFeed != null && outboundWaiting.isEmpty()) {
            alarmFeed.outboundDrained();
        }
        return message;
    }

    /** The MQTT 5 client asked for no reason strings on acknowledgements (Request Problem Information 0). */
    void withholdReasonStrings() {
        reasonStringsWanted = false;
    }

    /**
     * The reason string an acknowledgement may carry: none when the client asked for none, or when it would make
     * the packet larger than the client's Maximum Packet Size (MQTT 5, 3.1.2.11.2 and 3.4.2.2.2).
     */
    private String ackReason(String reason) {
        if (reason == null || !reasonStringsWanted) {
            return null;
        }
        // fixed header (at most 2 bytes here), packet id 2, reason code 1, property length 1, property id 1, length 2
        long size = 9L + reason.getBytes(StandardCharsets.UTF_8).length;
        return size <= clientMaxPacketBytes ? reason : null;
    }

    /** Outbound publishes waiting for room in the client's receive maximum. */
    int outboundWaiting() {
        return outboundWaiting.size();
    }

    /** The alarm events this operator connection is sent; null for a charger. */
    OperatorFeed alarmFeed() {
        return alarmFeed;
    }

    private int nextPacketId() {
        do {
            lastPacketId = lastPacketId == 65_535 ? 1 : lastPacketId + 1;
        } while (outbound.containsKey(lastPacketId));
        return lastPacketId;
    }

    // ---- how it ends

    Will takeWill() {
        Will w = will;
        will = null;
        return w;
    }

    /** The client sent DISCONNECT: a will goes only with reason 0x04. */
    void clientDisconnected(boolean withWill) {
        endReason = DisconnectReason.CLIENT_DISCONNECT;
        willWanted = withWill;
        closing = true;
        channel.close();
    }

    /**
     * Closes the connection, for MQTT 5 with a DISCONNECT carrying {@code reasonCode} and {@code reason} first. Nothing
     * is acknowledged after this.
     *
     * @param publishWill whether the client's will is ingested (an abnormal end), or discarded
     */
    void close(DisconnectReason why, byte reasonCode, String reason, boolean publishWill) {
        if (closing) {
            return;
        }
        closing = true;
        endReason = why;
        willWanted = publishWill;
        channel.config().setAutoRead(false);
        if (mqtt5 && channel.isActive()) {
            channel.writeAndFlush(Packets.disconnect(reasonCode, reason)).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    /** Runs {@link #close} on the connection's event loop (for callers on other threads). */
    void closeLater(DisconnectReason why, byte reasonCode, String reason, boolean publishWill) {
        channel.eventLoop().execute(() -> close(why, reasonCode, reason, publishWill));
    }

    boolean closing() {
        return closing;
    }

    DisconnectReason endReason() {
        return endReason;
    }

    boolean willWanted() {
        return willWanted;
    }

    /** After the channel closed: what was sent and not acknowledged, for the session to keep. */
    List<OutboundMessage> unacknowledgedOutbound() {
        List<OutboundMessage> all = new ArrayList<>(outbound.values());
        all.addAll(outboundWaiting);
        outbound.clear();
        outboundWaiting.clear();
        parked.clear();
        acks.clear();
        return all;
    }
}
