package io.chargeline.broker.hivemq;

import static org.assertj.core.api.Assertions.assertThat;

import io.chargeline.core.IngestResult;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PendingAcksTest {

    @Test
    void samePacketIdTwice_isTakenInOrder_thenGone() {
        PendingAcks pending = new PendingAcks();
        CompletableFuture<IngestResult> first = new CompletableFuture<>();
        CompletableFuture<IngestResult> second = new CompletableFuture<>();

        pending.put(7, first, 1);
        pending.put(7, second, 2);

        assertThat(pending.take(7).outcome()).isSameAs(first);
        assertThat(pending.take(7).outcome()).isSameAs(second);
        assertThat(pending.take(7)).isNull();
    }

    @Test
    void unknownPacketId_isNull() {
        assertThat(new PendingAcks().take(1)).isNull();
    }

    @Test
    void manyFailedPubacks_startOneDisconnect_andAllWaitOnIt() {
        PendingAcks pending = new PendingAcks();
        java.util.concurrent.atomic.AtomicInteger disconnects = new java.util.concurrent.atomic.AtomicInteger();
        CompletableFuture<Void> closed = new CompletableFuture<>();

        CompletableFuture<?> first = pending.dropOnce(() -> {
            disconnects.incrementAndGet();
            return closed;
        });
        CompletableFuture<?> second = pending.dropOnce(() -> {
            disconnects.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        });

        assertThat(disconnects).hasValue(1);
        assertThat(second).isSameAs(first).isNotDone();
    }
}
