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
}
