package io.chargeline.broker.hivemq;

import com.hivemq.extension.sdk.api.services.session.ClientService;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops a connection whose held PUBACKs must not be released. The broker completes a disconnect once the channel
 * is closed, so a PUBACK released afterwards cannot reach the client. If the broker refuses the request (its
 * extension rate limit), it is retried: releasing the PUBACK of a message that is not durable onto a live
 * connection is never an option.
 */
final class ConnectionDropper {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionDropper.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final AtomicReference<ClientService> clients;

    ConnectionDropper(AtomicReference<ClientService> clients) {
        this.clients = clients;
    }

    /** Completes once the connection is closed. */
    CompletableFuture<?> untilClosed(String clientId) {
        return attempt(clientId, 1);
    }

    private CompletableFuture<?> attempt(String clientId, int attempt) {
        return clients.get().disconnectClient(clientId).handle((done, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(done);
            }
            LOG.error("{} could not be disconnected (attempt {}); retrying before its PUBACK is released",
                    clientId, attempt, failure);
            Executor later = CompletableFuture.delayedExecutor(RETRY.toMillis(), TimeUnit.MILLISECONDS);
            return CompletableFuture.supplyAsync(() -> null, later).thenCompose(ignored -> attempt(clientId, attempt + 1));
        }).thenCompose(next -> next);
    }
}
