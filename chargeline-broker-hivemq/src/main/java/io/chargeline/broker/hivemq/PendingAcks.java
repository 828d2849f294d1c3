package io.chargeline.broker.hivemq;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One connection's QoS 1 publishes (telemetry, command replies) whose outcome is not yet durable, by packet id. The inbound
 * interceptor adds an entry; the PUBACK for that packet id waits on it. A new connection gets a new instance.
 * A client that resends a packet id before its PUBACK (some 3.x clients do) gets one entry per copy, taken in
 * order, so no PUBACK is ever released on another copy's behalf.
 */
final class PendingAcks {
    /** @param outcome completes once the message's effect (telemetry record, command reply) is stored */
    record Pending(CompletableFuture<?> outcome, long receivedNanos) {}

    private final Map<Integer, Deque<Pending>> byPacketId = new HashMap<>();
    /** Set once the connection is being dropped; every held PUBACK after that waits on the same disconnect. */
    private CompletableFuture<?> dropping;

    synchronized void put(int packetId, CompletableFuture<?> outcome, long receivedNanos) {
        byPacketId.computeIfAbsent(packetId, id -> new ArrayDeque<>(1)).addLast(new Pending(outcome, receivedNanos));
    }

    /**
     * Starts dropping the connection the first time it is asked, and returns the disconnect every later
     * caller waits on too (a backlogged connection can have thousands of held PUBACKs).
     */
    synchronized CompletableFuture<?> dropOnce(java.util.function.Supplier<CompletableFuture<?>> disconnect) {
        if (dropping == null) {
            dropping = disconnect.get();
        }
        return dropping;
    }

    /** The oldest pending copy of {@code packetId}, or null. */
    synchronized Pending take(int packetId) {
        Deque<Pending> copies = byPacketId.get(packetId);
        if (copies == null) {
            return null;
        }
        Pending first = copies.pollFirst();
        if (copies.isEmpty()) {
            byPacketId.remove(packetId);
        }
        return first;
    }
}
