package io.chargeline.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttMessageType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The acknowledgement (PUBACK, PUBREC or PUBCOMP) of one inbound publish, in its connection's queue. It is written
 * once it is ready and every one before it has been written, so acknowledgements leave in the order the publishes
 * arrived. A durable outcome makes it ready on the connection's event loop ({@link EventLoopAcks}).
 */
final class PendingAck implements BiConsumer<Object, Throwable> {
    final ClientConnection connection;
    final MqttMessageType type;
    final int packetId;
    final long receivedNanos;
    /** Set by the committing thread, read on the event loop after {@link EventLoopAcks} hands it over. */
    Object outcome;
    Throwable failure;
    byte reasonCode;
    String reason;
    boolean ready;
    /** Copies of the same QoS 2 publish received while this one was committed; answered with its outcome. */
    private List<PendingAck> resends;

    PendingAck(ClientConnection connection, MqttMessageType type, int packetId, long receivedNanos) {
        this.connection = connection;
        this.type = type;
        this.packetId = packetId;
        this.receivedNanos = receivedNanos;
    }

    /** An acknowledgement whose reason is known now (a refusal, a duplicate, a PUBCOMP). */
    static PendingAck readyNow(ClientConnection connection, MqttMessageType type, int packetId, byte reasonCode,
            String reason) {
        PendingAck ack = new PendingAck(connection, type, packetId, System.nanoTime());
        ack.reasonCode = reasonCode;
        ack.reason = reason;
        ack.ready = true;
        return ack;
    }

    void answersAlso(PendingAck resend) {
        if (resends == null) {
            resends = new ArrayList<>(1);
        }
        resends.add(resend);
    }

    /** On the event loop, once this one is ready: its resends are answered the same way. */
    void readyResends() {
        if (resends != null) {
            for (PendingAck r : resends) {
                r.reasonCode = reasonCode;
                r.reason = reason;
                r.ready = true;
            }
        }
    }

    /** The durable outcome arrived (on the committing thread). */
    @Override
    public void accept(Object result, Throwable error) {
        outcome = result;
        failure = error;
        connection.loopAcks().completed(this);
    }
}
