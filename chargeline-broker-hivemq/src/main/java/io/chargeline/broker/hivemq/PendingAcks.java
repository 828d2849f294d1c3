package io.chargeline.broker.hivemq;

import io.chargeline.core.IngestResult;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One connection's QoS 1 telemetry publishes whose outcome is not yet durable, by packet id. The inbound
 * interceptor adds an entry; the PUBACK for that packet id waits on it. A client may reuse a packet id only
 * after its PUBACK, and a new connection gets a new instance, so ids never collide.
 */
final class PendingAcks {
    record Pending(CompletableFuture<IngestResult> outcome, long receivedNanos) {}

    private final Map<Integer, Pending> byPacketId = new ConcurrentHashMap<>();

    void put(int packetId, CompletableFuture<IngestResult> outcome, long receivedNanos) {
        byPacketId.put(packetId, new Pending(outcome, receivedNanos));
    }

    Pending take(int packetId) {
        return byPacketId.remove(packetId);
    }
}
