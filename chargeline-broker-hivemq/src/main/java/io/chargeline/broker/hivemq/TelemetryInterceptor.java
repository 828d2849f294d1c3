package io.chargeline.broker.hivemq;

import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.general.MqttVersion;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import io.chargeline.core.GatewayMetrics;
import io.chargeline.core.IngestPipeline;
import io.chargeline.core.OverloadedException;
import io.chargeline.core.command.CommandInbox;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each telemetry PUBLISH of one connection to the ingest pipeline, and each command reply to the command
 * service; {@link DurableAckReleaser} holds its PUBACK until the outcome is durable. Submitting blocks while the
 * pipeline is full (backpressure).
 */
final class TelemetryInterceptor implements PublishInboundInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(TelemetryInterceptor.class);
    /**
     * The broker hands a connection's publishes to this interceptor one at a time and buffers the rest. MQTT 5
     * bounds that buffer (receive maximum); MQTT 3 has no flow control, so a 3.x client whose publishes have
     * waited longer than this is sending faster than they can be committed: it is disconnected without an
     * acknowledgement and resends after reconnecting, which bounds what it can make the broker buffer.
     */
    static final Duration MAX_MQTT3_BACKLOG = Duration.ofSeconds(2);

    private final IngestPipeline pipeline;
    private final GatewayMetrics metrics;
    private final Clock clock;
    private final ConnectionDropper dropper;
    private final PendingAcks pending;
    private final CommandInbox commands;

    /** One instance per connection, sharing {@code pending} with that connection's {@link DurableAckReleaser}. */
    TelemetryInterceptor(IngestPipeline pipeline, GatewayMetrics metrics, Clock clock,
            ConnectionDropper dropper, PendingAcks pending, CommandInbox commands) {
        this.commands = commands;
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.clock = clock;
        this.dropper = dropper;
        this.pending = pending;
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
            disconnectBacklogged(input, output, chargerId, waitedMillis, start);
            return;
        }
        byte[] payload = input.getPublishPacket().getPayload().map(TelemetryInterceptor::bytes).orElse(new byte[0]);
        String repliedTo = CommandTopics.repliedCommand(chargerId, topic);
        if (repliedTo != null) {
            acceptReply(input, output, chargerId, repliedTo, payload, mqtt5, start);
            return;
        }
        IngestPipeline.Submission submission;
        try {
            submission = pipeline.accept(topic, chargerId, payload, receivedAt);
        } catch (RuntimeException e) {
            // a bug of ours must not turn into the broker's default PUBACK: hold it as not durable
            LOG.error("{} telemetry could not be handed to the pipeline", chargerId, e);
            output.preventPublishDelivery();
            holdAsNotDurable(input, e, start);
            return;
        }
        // Telemetry ends here (no routing to subscribers). The PUBACK's reason code is fixed now, because the
        // broker does not let it switch between success and failure later; its release waits for durability.
        if (submission.overloaded() && mqtt5) {
            output.preventPublishDelivery(AckReasonCode.QUOTA_EXCEEDED, "server busy, retry later");
            return; // nothing was queued, so nothing to wait for
        }
        if (submission.rejected() != null && mqtt5) {
            output.preventPublishDelivery(AckReasonCode.PAYLOAD_FORMAT_INVALID,
                    submission.rejected().reason() + ": " + submission.rejected().detail());
        } else {
            output.preventPublishDelivery();
        }
        if (input.getPublishPacket().getQos() != Qos.AT_MOST_ONCE) {
            pending.put(input.getPublishPacket().getPacketId(), submission.durable(), start);
        }
    }

    /** A reply ends here too; its PUBACK waits until the command's new status is stored. */
    private void acceptReply(PublishInboundInput input, PublishInboundOutput output, String chargerId, String commandId,
            byte[] payload, boolean mqtt5, long start) {
        CommandInbox.Reply reply = commands.reply(chargerId, commandId, payload);
        if (reply.outcome() != CommandInbox.Reply.Outcome.ACCEPTED) {
            LOG.info("{} reply to command {} refused: {}", chargerId, commandId, reply.detail());
            if (mqtt5) {
                AckReasonCode code = switch (reply.outcome()) {
                    case MALFORMED -> AckReasonCode.PAYLOAD_FORMAT_INVALID;
                    case BUSY -> AckReasonCode.QUOTA_EXCEEDED;
                    default -> AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR;
                };
                output.preventPublishDelivery(code, reply.detail());
            } else {
                output.preventPublishDelivery(); // MQTT 3 has no way to say why: acknowledged and logged
            }
            return;
        }
        output.preventPublishDelivery();
        if (input.getPublishPacket().getQos() != Qos.AT_MOST_ONCE) {
            pending.put(input.getPublishPacket().getPacketId(), reply.durable(), start);
        }
    }

    /**
     * Drops the connection without acknowledging. The broker still hands over the publishes it had buffered for
     * this connection: each is recorded as not durable, so its PUBACK is held until the connection is gone.
     */
    private void disconnectBacklogged(
            PublishInboundInput input, PublishInboundOutput output, String chargerId, long waitedMillis, long start) {
        output.preventPublishDelivery();
        holdAsNotDurable(input, new OverloadedException("publishing faster than commits"), start);
        // the same one disconnect the held PUBACKs wait on, logged and counted once
        pending.dropOnce(() -> {
            metrics.connectionDropped(GatewayMetrics.DropReason.MQTT3_BACKLOG);
            LOG.warn("{} publishes faster than they can be committed (one waited {} ms); disconnecting it without "
                    + "acknowledgement so it resends later", chargerId, waitedMillis);
            return dropper.untilClosed(chargerId);
        });
    }

    /** Records the publish as failed, so its PUBACK never leaves and the releaser drops the connection. */
    private void holdAsNotDurable(PublishInboundInput input, Exception why, long start) {
        if (input.getPublishPacket().getQos() != Qos.AT_MOST_ONCE) {
            pending.put(input.getPublishPacket().getPacketId(), CompletableFuture.failedFuture(why), start);
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.asReadOnlyBuffer();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }
}
