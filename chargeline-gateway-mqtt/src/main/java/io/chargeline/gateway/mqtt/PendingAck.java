package io.chargeline.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttMessageType;
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

    /** The durable outcome arrived (on the committing thread). */
    @Override
    public void accept(Object result, Throwable error) {
        outcome = result;
        failure = error;
        connection.loopAcks().completed(this);
    }
}
