package io.chargeline.broker.hivemq;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.interceptor.puback.PubackOutboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.puback.parameter.PubackOutboundInput;
import com.hivemq.extension.sdk.api.interceptor.puback.parameter.PubackOutboundOutput;
import io.chargeline.core.GatewayMetrics;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds each telemetry (or command reply) PUBACK until its outcome is durable, then lets it go. Its reason code was
 * set when the PUBLISH came in (SUCCESS, PAYLOAD_FORMAT_INVALID for a refused payload that is now a durable
 * dead letter); the broker does not allow switching it between success and failure afterwards. So when the
 * outcome is not durable (storage failure, or no commit within a minute) the client is disconnected before
 * the PUBACK can go out, whatever its MQTT version, and resends after reconnecting.
 *
 * <p>Holding the PUBACK rather than the inbound PUBLISH lets the broker keep reading a connection's next
 * publishes while earlier ones wait for their commit, so one connection can have many messages in a group
 * commit; PUBACKs still leave in order.
 */
final class DurableAckReleaser implements PubackOutboundInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(DurableAckReleaser.class);
    /** The commit must answer within this; after it the message counts as not durable. */
    static final Duration OUTCOME_TIMEOUT = Duration.ofSeconds(60);
    /** The broker's own hold limit, far beyond ours, so it never releases a PUBACK we still hold. */
    private static final Duration HOLD_LIMIT = Duration.ofMinutes(10);

    private final PendingAcks pending;
    private final GatewayMetrics metrics;
    private final ConnectionDropper dropper;

    DurableAckReleaser(PendingAcks pending, GatewayMetrics metrics, ConnectionDropper dropper) {
        this.pending = pending;
        this.metrics = metrics;
        this.dropper = dropper;
    }

    @Override
    public void onOutboundPuback(PubackOutboundInput input, PubackOutboundOutput output) {
        PendingAcks.Pending entry = pending.take(input.getPubackPacket().getPacketIdentifier());
        if (entry == null) {
            return; // not telemetry we hold (e.g. a refused topic): the broker's PUBACK stands
        }
        String chargerId = input.getClientInformation().getClientId();
        Async<PubackOutboundOutput> async = output.async(HOLD_LIMIT);
        entry.outcome().orTimeout(OUTCOME_TIMEOUT.toSeconds(), TimeUnit.SECONDS).whenComplete((result, error) -> {
            CompletableFuture<?> settled = error == null
                    ? CompletableFuture.completedFuture(null)
                    : disconnect(chargerId, error);
            settled.whenComplete((ignored, e) -> {
                metrics.pubackLatency(Duration.ofNanos(System.nanoTime() - entry.receivedNanos()));
                async.resume();
            });
        });
    }

    private CompletableFuture<?> disconnect(String chargerId, Throwable error) {
        return pending.dropOnce(() -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            String why = cause instanceof TimeoutException ? "no commit within " + OUTCOME_TIMEOUT : cause.getMessage();
            LOG.warn("{} message not stored ({}); disconnecting it before the PUBACK so it resends", chargerId, why);
            metrics.connectionDropped(GatewayMetrics.DropReason.NOT_DURABLE);
            return dropper.untilClosed(chargerId);
        });
    }
}
