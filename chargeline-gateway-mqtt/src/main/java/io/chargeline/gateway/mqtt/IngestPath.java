package io.chargeline.gateway.mqtt;

import io.chargeline.core.command.CommandInbox;
import io.chargeline.core.device.GatewayMetrics;
import io.chargeline.core.presence.PresenceListener.DisconnectReason;
import io.chargeline.core.telemetry.IngestPipeline;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an authorised publish goes, on its connection's event loop: telemetry to the ingest pipeline, a command
 * reply to the command service. Its acknowledgement joins the connection's ordered queue and is written when the
 * outcome is durable. When the ingest queue is full the publish is parked and the connection stops being read;
 * it resumes, in order, once the queue has room.
 */
final class IngestPath {
    private static final Logger LOG = LoggerFactory.getLogger(IngestPath.class);

    private final GatewayServices services;

    IngestPath(GatewayServices services) {
        this.services = services;
    }

    void handle(ClientConnection connection, InboundPublish publish) {
        if (connection.hasParked()) {
            connection.park(publish); // behind the ones already waiting, so order holds
            return;
        }
        if (!submit(connection, publish)) {
            connection.park(publish);
            waitForRoom(connection);
        }
    }

    /** False when the ingest queue was full and nothing was taken. */
    private boolean submit(ClientConnection connection, InboundPublish publish) {
        String clientId = connection.clientId;
        if (!TopicRules.mayPublish(clientId, publish.topic())) {
            refuseTopic(connection, publish);
            return true;
        }
        String repliedTo = CommandTopics.repliedCommand(clientId, publish.topic());
        if (repliedTo != null) {
            reply(connection, publish, repliedTo);
            return true;
        }
        IngestPipeline.Submission submission =
                services.pipeline().accept(publish.topic(), clientId, publish.payload(), publish.receivedAt());
        if (submission.overloaded()) {
            return false;
        }
        if (publish.qos() != MqttQoS.AT_MOST_ONCE) {
            PendingAck ack = new PendingAck(connection, ackType(publish), publish.packetId(), publish.receivedNanos());
            connection.enqueue(ack);
            submission.durable().whenComplete(ack);
        }
        return true;
    }

    private void waitForRoom(ClientConnection connection) {
        services.pipeline().whenRoom(() -> connection.channel.eventLoop().execute(() -> resume(connection)));
    }

    /** Hands the parked publishes over in order; stops again at the first the queue refuses. */
    private void resume(ClientConnection connection) {
        InboundPublish next;
        while (!connection.closing() && (next = connection.peekParked()) != null) {
            if (!submit(connection, next)) {
                waitForRoom(connection);
                return;
            }
            connection.unpark();
        }
        connection.flush();
    }

    /** MQTT 5 says why in the acknowledgement; MQTT 3 has no such code, so the connection is closed instead. */
    private void refuseTopic(ClientConnection connection, InboundPublish publish) {
        String why = TopicRules.whyNotPublish(connection.clientId);
        services.metrics().topicRefused(GatewayMetrics.TopicAction.PUBLISH);
        LOG.info("{} PUBLISH to '{}' refused: {}", connection.clientId, publish.topic(), why);
        if (!connection.mqtt5) {
            connection.close(DisconnectReason.SERVER_DISCONNECT, (byte) 0, why, true);
        } else if (publish.qos() != MqttQoS.AT_MOST_ONCE) {
            connection.enqueue(PendingAck.readyNow(connection, ackType(publish), publish.packetId(),
                    MqttReasonCodes.PubAck.NOT_AUTHORIZED.byteValue(), why));
        }
    }

    /** A reply's acknowledgement waits until the command's new status is stored. */
    private void reply(ClientConnection connection, InboundPublish publish, String commandId) {
        CommandInbox.Reply reply = services.commands().reply(connection.clientId, commandId, publish.payload());
        if (publish.qos() == MqttQoS.AT_MOST_ONCE) {
            return;
        }
        if (reply.outcome() == CommandInbox.Reply.Outcome.ACCEPTED) {
            PendingAck ack = new PendingAck(connection, ackType(publish), publish.packetId(), publish.receivedNanos());
            connection.enqueue(ack);
            reply.durable().whenComplete(ack);
            return;
        }
        LOG.info("{} reply to command {} refused: {}", connection.clientId, commandId, reply.detail());
        byte code = switch (reply.outcome()) {
            case MALFORMED -> MqttReasonCodes.PubAck.PAYLOAD_FORMAT_INVALID.byteValue();
            case BUSY -> MqttReasonCodes.PubAck.QUOTA_EXCEEDED.byteValue();
            default -> MqttReasonCodes.PubAck.IMPLEMENTATION_SPECIFIC_ERROR.byteValue();
        };
        // MQTT 3 has no way to say why: acknowledged and logged
        connection.enqueue(PendingAck.readyNow(connection, ackType(publish), publish.packetId(),
                connection.mqtt5 ? code : 0, connection.mqtt5 ? reply.detail() : null));
    }

    private static MqttMessageType ackType(InboundPublish publish) {
        return publish.qos() == MqttQoS.EXACTLY_ONCE ? MqttMessageType.PUBREC : MqttMessageType.PUBACK;
    }
}
