package io.chargeline.broker.hivemq;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionAttributeStore;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.general.MqttVersion;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import io.chargeline.core.GatewayMetrics;
import io.chargeline.core.IngestPipeline;
import io.chargeline.core.IngestResult;
import io.chargeline.core.OverloadedException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each telemetry PUBLISH to the ingest pipeline and holds the acknowledgement until the outcome is
 * durable. Stored: PUBACK SUCCESS. Refused by validation: it is already a durable dead
 * letter; MQTT 5 gets PAYLOAD_FORMAT_INVALID with the reason, MQTT 3 a plain PUBACK (it has no codes).
 * Not durable (overload, storage failure): MQTT 5 gets an error code; an MQTT 3 client is disconnected
 * without a PUBACK, so it resends after reconnecting. No acknowledged message is ever lost.
 */
final class TelemetryInterceptor implements PublishInboundInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(TelemetryInterceptor.class);
    /** Longer than the pipeline's own offer timeout plus a commit, so the pipeline decides first. */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(60);

    /**
     * The broker hands a connection's publishes to this interceptor one at a time and buffers the rest. MQTT 5
     * bounds that buffer (receive maximum); MQTT 3 has no flow control, so a 3.x client whose publishes have
     * waited longer than this is sending faster than they can be committed: it is disconnected without an
     * acknowledgement and resends after reconnecting, which bounds what it can make the broker buffer.
     */
    static final Duration MAX_MQTT3_BACKLOG = Duration.ofSeconds(2);

    private static final String BACKLOG_MARK = "chargeline.backlog-disconnect";

    private final IngestPipeline pipeline;
    private final GatewayMetrics metrics;
    private final Clock clock;
    private final AtomicReference<ClientService> clients;

    TelemetryInterceptor(IngestPipeline pipeline, GatewayMetrics metrics, Clock clock,
            AtomicReference<ClientService> clients) {
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.clock = clock;
        this.clients = clients;
    }

    @Override
    public void onInboundPublish(PublishInboundInput input, PublishInboundOutput output) {
        String chargerId = input.getClientInformation().getClientId();
        String topic = input.getPublishPacket().getTopic();
        if (!ChargerTopicAuthorizer.mayPublish(chargerId, topic)) {
            return; // the authorizer refuses it; nothing may be stored for a foreign topic
        }
        long start = System.nanoTime();
        Instant receivedAt = clock.instant();
        boolean mqtt5 = input.getConnectionInformation().getMqttVersion() == MqttVersion.V_5;
        long waitedMillis = receivedAt.toEpochMilli() - input.getPublishPacket().getTimestamp();
        if (!mqtt5 && waitedMillis > MAX_MQTT3_BACKLOG.toMillis()) {
            disconnectBacklogged(input, output, chargerId, waitedMillis);
            return;
        }
        byte[] payload = input.getPublishPacket().getPayload().map(TelemetryInterceptor::bytes).orElse(new byte[0]);
        Async<PublishInboundOutput> async = output.async(ACK_TIMEOUT, TimeoutFallback.FAILURE,
                AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, "timed out waiting for a durable commit");
        pipeline.submit(topic, chargerId, payload, receivedAt).whenComplete((result, error) -> {
            CompletableFuture<?> settled;
            if (error == null) {
                onDurable(async.getOutput(), chargerId, result, mqtt5);
                settled = CompletableFuture.completedFuture(null);
            } else {
                settled = onNotDurable(async.getOutput(), chargerId, error, mqtt5);
            }
            settled.whenComplete((ignored, e) -> {
                metrics.pubackLatency(Duration.ofNanos(System.nanoTime() - start));
                async.resume();
            });
        });
    }

    /**
     * Drops the connection without acknowledging. The broker still hands over the publishes it had buffered for
     * this connection; they are discarded quietly (the connection is marked) and never acknowledged.
     */
    private void disconnectBacklogged(
            PublishInboundInput input, PublishInboundOutput output, String chargerId, long waitedMillis) {
        ConnectionAttributeStore connection = input.getConnectionInformation().getConnectionAttributeStore();
        output.preventPublishDelivery();
        if (connection.get(BACKLOG_MARK).isPresent()) {
            return;
        }
        connection.put(BACKLOG_MARK, ByteBuffer.allocate(0));
        metrics.connectionDropped("mqtt3_backlog");
        LOG.warn("{} publishes faster than they can be committed (one waited {} ms); disconnecting it without "
                + "acknowledgement so it resends later", chargerId, waitedMillis);
        Async<PublishInboundOutput> async = output.async(ACK_TIMEOUT, TimeoutFallback.FAILURE);
        clients.get().disconnectClient(chargerId).whenComplete((ignored, error) -> async.resume());
    }

    private static void onDurable(PublishInboundOutput out, String chargerId, IngestResult result, boolean mqtt5) {
        if (result == IngestResult.STORED) {
            // stored is the end of the line: no routing to subscribers, and the PUBACK says SUCCESS
            // rather than NO_MATCHING_SUBSCRIBERS
            out.preventPublishDelivery();
        } else if (result instanceof IngestResult.Refused refused) {
            LOG.debug("{} telemetry refused: {}", chargerId, refused.reason());
            String reason = refused.reason() + ": " + refused.detail();
            if (mqtt5) {
                out.preventPublishDelivery(AckReasonCode.PAYLOAD_FORMAT_INVALID, reason);
            } else {
                out.preventPublishDelivery();
            }
        }
    }

    /** Sets the failure outcome; the returned future completes when the acknowledgement may be released. */
    private CompletableFuture<?> onNotDurable(
            PublishInboundOutput out, String chargerId, Throwable error, boolean mqtt5) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        boolean overload = cause instanceof OverloadedException;
        LOG.warn("{} telemetry not stored ({}); not acknowledged", chargerId, cause.getMessage());
        if (mqtt5) {
            out.preventPublishDelivery(overload ? AckReasonCode.QUOTA_EXCEEDED : AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR,
                    overload ? "server busy, retry later" : "telemetry could not be stored, retry later");
            return CompletableFuture.completedFuture(null);
        }
        // MQTT 3 PUBACKs cannot carry a failure: drop the connection before any PUBACK can go out
        out.preventPublishDelivery();
        return clients.get().disconnectClient(chargerId);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.asReadOnlyBuffer();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }
}
