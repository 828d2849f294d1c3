package io.chargeline.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.chargeline.core.StorageException;
import io.chargeline.core.command.CommandInbox;
import io.chargeline.core.device.GatewayMetrics;
import io.chargeline.core.presence.PresenceListener;
import io.chargeline.core.telemetry.IngestResult;
import io.chargeline.core.telemetry.RejectReason;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A connection's ordered queue of acknowledgements, on a Netty {@link EmbeddedChannel} (no network): what the
 * HiveMQ gateway's PendingAcksTest covered. There, acknowledgements were looked up by packet id and one disconnect
 * was shared by many failed ones; here they leave strictly in arrival order, and the first outcome that is not
 * durable closes the connection before anything behind it is acknowledged.
 */
class AckQueueTest {
    private static final MqttGatewaySettings.Limits LIMITS = new MqttGatewaySettings.Limits(256 * 1024, 4, 16,
            Duration.ofMinutes(20), Duration.ofSeconds(10), Duration.ofDays(1));

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final List<GatewayMetrics.DropReason> drops = new CopyOnWriteArrayList<>();

    @Test
    void acks_leaveInArrivalOrder_whateverOrderTheCommitsCompleteIn() {
        ClientConnection connection = connection(false);
        PendingAck first = pending(connection, 1);
        PendingAck second = pending(connection, 2);
        PendingAck third = pending(connection, 3);

        third.accept(IngestResult.STORED, null);
        second.accept(IngestResult.STORED, null);
        channel.runPendingTasks();
        assertThat(written()).isEmpty();

        first.accept(IngestResult.STORED, null);
        channel.runPendingTasks();
        assertThat(written()).extracting(AckQueueTest::packetId).containsExactly(1, 2, 3);
        assertThat(written()).isEmpty();
    }

    @Test
    void samePacketIdTwice_isAnsweredTwice_inOrder() {
        // the old PendingAcks kept outcomes by packet id and had to queue a reused one; here order alone decides
        ClientConnection connection = connection(true);
        PendingAck first = pending(connection, 7);
        PendingAck second = pending(connection, 7);

        second.accept(new IngestResult.Refused(RejectReason.MalformedJson, "not JSON"), null);
        first.accept(IngestResult.STORED, null);
        channel.runPendingTasks();

        List<MqttMessage> acks = written();
        assertThat(acks).extracting(AckQueueTest::packetId).containsExactly(7, 7);
        assertThat(acks).extracting(AckQueueTest::reasonCode).containsExactly((byte) 0,
                MqttReasonCodes.PubAck.PAYLOAD_FORMAT_INVALID.byteValue());
    }

    @Test
    void aRefusedMessage_isStillAcknowledged_withoutAReasonForMqtt3() {
        ClientConnection connection = connection(false);
        PendingAck ack = pending(connection, 1);

        ack.accept(new IngestResult.Refused(RejectReason.MalformedJson, "not JSON"), null);
        channel.runPendingTasks();

        assertThat(written()).extracting(AckQueueTest::reasonCode).containsExactly((byte) 0);
    }

    @Test
    void aFailedCommit_closesTheConnection_andNothingBehindItIsAcknowledged() {
        ClientConnection connection = connection(true);
        PendingAck failed = pending(connection, 1);
        PendingAck stored = pending(connection, 2);
        PendingAck alsoFailed = pending(connection, 3);

        stored.accept(IngestResult.STORED, null);
        failed.accept(null, new StorageException("disk full", null));
        alsoFailed.accept(null, new StorageException("disk full", null));
        channel.runPendingTasks();

        List<MqttMessage> out = written();
        assertThat(out).extracting(m -> m.fixedHeader().messageType()).containsExactly(MqttMessageType.DISCONNECT);
        assertThat(((MqttReasonCodeAndPropertiesVariableHeader) out.get(0).variableHeader()).reasonCode())
                .isEqualTo(MqttReasonCodes.Disconnect.UNSPECIFIED_ERROR.byteValue());
        assertThat(channel.isOpen()).isFalse();
        assertThat(connection.endReason()).isEqualTo(PresenceListener.DisconnectReason.SERVER_DISCONNECT);
        // as the old test's "many failed PUBACKs start one disconnect"
        assertThat(drops).containsExactly(GatewayMetrics.DropReason.NOT_DURABLE);
    }

    @Test
    void mqtt3_stopsBeingRead_atTheReceiveMaximum_andResumesAtHalf() {
        ClientConnection connection = connection(false);
        List<PendingAck> acks = new ArrayList<>();
        for (int id = 1; id < LIMITS.receiveMaximum(); id++) {
            acks.add(pending(connection, id));
        }
        assertThat(channel.config().isAutoRead()).isTrue();
        acks.add(pending(connection, LIMITS.receiveMaximum()));
        assertThat(channel.config().isAutoRead()).isFalse();
        assertThat(connection.paused()).isTrue();

        acks.get(0).accept(IngestResult.STORED, null);
        channel.runPendingTasks();
        assertThat(channel.config().isAutoRead()).isFalse(); // 3 of 4 still unanswered

        acks.get(1).accept(IngestResult.STORED, null);
        channel.runPendingTasks();
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(connection.paused()).isFalse();
    }

    @Test
    void mqtt5_isNotPausedByItsOwnAcks_theReceiveMaximumIsTheClientsToKeep() {
        ClientConnection connection = connection(true);
        for (int id = 1; id <= LIMITS.receiveMaximum(); id++) {
            pending(connection, id);
        }
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(connection.unacknowledged()).isEqualTo(LIMITS.receiveMaximum());
    }

    @Test
    void aCommitThatNeverAnswers_dropsTheConnection_onceItWaitedTooLong() {
        ClientConnection connection = connection(false);
        PendingAck stuck = pending(connection, 1);
        Duration limit = Duration.ofSeconds(60);

        connection.checkStalled(stuck.receivedNanos + limit.toNanos(), limit);
        assertThat(channel.isOpen()).isTrue();

        connection.checkStalled(stuck.receivedNanos + limit.toNanos() + 1, limit);
        assertThat(channel.isOpen()).isFalse();
        assertThat(drops).containsExactly(GatewayMetrics.DropReason.NOT_DURABLE);

        stuck.accept(IngestResult.STORED, null); // the commit answers after all: too late
        channel.runPendingTasks();
        assertThat(written()).isEmpty();
    }

    private ClientConnection connection(boolean mqtt5) {
        GatewayMetrics metrics = new GatewayMetrics() {
            @Override
            public void connectionDropped(DropReason reason) {
                drops.add(reason);
            }
        };
        // only what the acknowledgement queue touches is real; ingest and the registries are not reached from here
        GatewayServices services = new GatewayServices(null, null, null, cert -> true, metrics, PresenceListener.NONE,
                CommandInbox.NONE, Clock.systemUTC(), LIMITS, null, null, null);
        return new ClientConnection(channel, "CH-1", mqtt5, new SessionState("CH-1", Duration.ZERO), null,
                65_535, Integer.MAX_VALUE, services, new EventLoopAcks(channel.eventLoop()));
    }

    private static PendingAck pending(ClientConnection connection, int packetId) {
        PendingAck ack = new PendingAck(connection, MqttMessageType.PUBACK, packetId, System.nanoTime());
        connection.enqueue(ack);
        return ack;
    }

    private List<MqttMessage> written() {
        List<MqttMessage> out = new ArrayList<>();
        Object m;
        while ((m = channel.readOutbound()) != null) {
            out.add((MqttMessage) m);
        }
        return out;
    }

    private static int packetId(MqttMessage m) {
        return ((MqttPubReplyMessageVariableHeader) m.variableHeader()).messageId();
    }

    private static byte reasonCode(MqttMessage m) {
        return ((MqttPubReplyMessageVariableHeader) m.variableHeader()).reasonCode();
    }
}
