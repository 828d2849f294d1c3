package io.chargeline.gateway.mqtt;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.chargeline.core.alarm.Alarm;
import io.chargeline.core.alarm.ClearReason;
import io.chargeline.core.device.GatewayMetrics;
import io.chargeline.core.device.IssuedCertificate;
import io.chargeline.core.presence.PresenceListener;
import io.chargeline.core.telemetry.PipelineSettings;
import io.chargeline.core.telemetry.TelemetryRecord;
import io.chargeline.core.telemetry.TelemetryValidator;
import io.chargeline.core.webhook.WebhookEventType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import javax.net.ssl.SSLSocket;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway with real clients over mutual TLS: its failure paths (when a message could not be made durable, no
 * client ever sees a successful acknowledgement), backpressure, revocation, presence, metrics and its operator
 * clients. The cases of the HiveMQ gateway's HiveMqGatewayTest, adapted where the new design behaves differently
 * (each says how).
 */
class MqttGatewayTest {
    @TempDir
    Path dir;

    private GatewayFixture fixture;
    private final RecordingPresence presence = new RecordingPresence();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final List<MqttClient> pahoClients = new ArrayList<>();
    private final List<MqttAsyncClient> pahoAsyncClients = new ArrayList<>();

    @BeforeEach
    void fixture() {
        fixture = new GatewayFixture(dir);
        fixture.presence = presence;
        fixture.metrics = metrics;
    }

    @AfterEach
    void stop() throws MqttException {
        try {
            for (MqttClient c : pahoClients) {
                closeQuietly(c);
            }
            for (MqttAsyncClient c : pahoAsyncClients) {
                if (c.isConnected()) {
                    c.disconnectForcibly(0, 1_000, false);
                }
                c.close();
            }
        } finally {
            fixture.close();
        }
    }

    // ---- storage failures: nothing is acknowledged, the client is dropped so it sends again

    @Test
    void storageFailure_mqtt5_dropsTheConnection_withoutPubAck() throws Exception {
        fixture.store.fail = true;
        fixture.start();
        Mqtt5AsyncClient client = fixture.hivemq("CH-1");

        CompletableFuture<Mqtt5PublishResult> publish = client.publishWith().topic("telemetry/CH-1")
                .qos(MqttQos.AT_LEAST_ONCE).payload(GatewayFixture.payload("CH-1", 0)).send();

        await().atMost(Duration.ofSeconds(10)).until(() -> !client.getState().isConnected());
        assertThat(publish).satisfiesAnyOf(
                p -> assertThat(p).isNotDone(),
                p -> assertThat(p).isCompletedExceptionally());
        assertThat(fixture.store.stored).isEmpty();
    }

    @Test
    void storageFailure_mqtt311_dropsTheConnection_withoutPubAck() throws Exception {
        fixture.store.fail = true;
        fixture.start();
        MqttClient paho = paho("CH-2");

        assertThatThrownBy(() -> paho.publish("telemetry/CH-2", GatewayFixture.payload("CH-2", 0), 1, false))
                .isInstanceOf(MqttException.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> !paho.isConnected());
        assertThat(fixture.store.stored).isEmpty();
        assertThat(metrics.drops).containsExactly(GatewayMetrics.DropReason.NOT_DURABLE);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> presence.events.contains("CH-2 disconnected SERVER_DISCONNECT"));
    }

    // ---- backpressure: a full pipeline stops reading connections, it refuses and drops nothing

    @Test
    void fullPipeline_mqtt5_stopsReadingInsteadOfRefusing_andAcksEverythingInOrderOnceItDrains() throws Exception {
        // The HiveMQ gateway answered QUOTA_EXCEEDED here. This one parks the publish the full queue refused and
        // stops reading its connection (IngestPath), and goes on once the queue has room (IngestPipeline.whenRoom).
        fixture.store.holdCommits();
        fixture.start(new PipelineSettings(1, TelemetryValidator.MAX_PAYLOAD_BYTES, 1));
        List<String> chargers = List.of("CH-A", "CH-B", "CH-C");
        List<Mqtt5AsyncClient> clients = new ArrayList<>();
        for (String id : chargers) {
            clients.add(fixture.hivemq(id));
        }
        List<CompletableFuture<Mqtt5PublishResult>> publishes = new ArrayList<>();

        publishes.add(publish(clients.get(0), "CH-A", 0));
        assertThat(fixture.store.commitStarted.await(10, TimeUnit.SECONDS)).isTrue();
        publishes.add(publish(clients.get(1), "CH-B", 0));
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.pipeline.queued() == 1);
        publishes.add(publish(clients.get(2), "CH-C", 0));
        for (int second = 1; second < 5; second++) {
            for (int i = 0; i < chargers.size(); i++) {
                publishes.add(publish(clients.get(i), chargers.get(i), second));
            }
        }

        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> publishes.stream().noneMatch(Future::isDone));
        assertThat(fixture.pipeline.queued()).isEqualTo(1);
        fixture.store.release();

        for (CompletableFuture<Mqtt5PublishResult> p : publishes) {
            assertThat(pubAckCode(p)).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        }
        for (String id : chargers) {
            assertThat(storedSeconds(id)).as(id).containsExactly(0, 1, 2, 3, 4);
        }
        assertThat(clients).allMatch(c -> c.getState().isConnected());
        assertThat(metrics.drops).isEmpty();
    }

    @Test
    void mqtt311ClientOutrunningCommits_isSlowedDown_notDisconnected_andEverythingAckedIsStored() throws Exception {
        // The HiveMQ gateway disconnected such a client once its backlog passed 2 s (it could not stop reading a
        // socket). This one stops reading the connection at the receive maximum of unanswered publishes and
        // while the ingest queue is full, so TCP slows the client down and nothing is lost or refused.
        fixture.store.commitMillis = 10;
        fixture.start(new PipelineSettings(1, TelemetryValidator.MAX_PAYLOAD_BYTES, 1));
        IssuedCertificate cert = fixture.charger("CH-fast");
        MqttConnectOptions options = fixture.pahoOptions(cert);
        options.setMaxInflight(1000); // MQTT 3 has no flow control: nothing stops the client but the server
        MqttAsyncClient client = pahoAsync("CH-fast");
        Set<Integer> acked = ConcurrentHashMap.newKeySet();
        List<Integer> ackedBeforeStored = new CopyOnWriteArrayList<>();
        CountDownLatch lost = new CountDownLatch(1);
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                lost.countDown();
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {}

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                int second = (Integer) token.getUserContext();
                if (!storedSeconds("CH-fast").contains(second)) {
                    ackedBeforeStored.add(second);
                }
                acked.add(second);
            }
        });
        client.connect(options).waitForCompletion(10_000);

        for (int i = 0; i < 1000; i++) {
            client.publish("telemetry/CH-fast", GatewayFixture.payload("CH-fast", i), 1, false, i, null);
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> acked.size() == 1000 || lost.getCount() == 0);
        assertThat(lost.getCount()).as("connection lost").isEqualTo(1);
        assertThat(client.isConnected()).isTrue();
        assertThat(ackedBeforeStored).as("acknowledged before stored").isEmpty();
        assertThat(storedSeconds("CH-fast")).isEqualTo(IntStream.range(0, 1000).boxed().toList());
        assertThat(metrics.drops).isEmpty();
    }

    // ---- operators

    @Test
    void operator_receivesAlarmEvents_publishesNothing_andIsNotCountedAsACharger() throws Exception {
        fixture.start();
        AtomicReference<Throwable> disconnectCause = new AtomicReference<>();
        Mqtt5AsyncClient operator = Mqtt5Client.builder().identifier("operator:ops").serverHost("127.0.0.1")
                .serverPort(fixture.port()).sslConfig(fixture.hivemqTls(fixture.operators.provision("ops", null)))
                .addDisconnectedListener(c -> disconnectCause.set(c.getCause()))
                .buildAsync();
        operator.connect().get(30, TimeUnit.SECONDS);
        List<Mqtt5Publish> received = new CopyOnWriteArrayList<>();
        Mqtt5SubAck subAck = operator.subscribeWith().topicFilter("$chargeline/alarms/#").qos(MqttQos.AT_LEAST_ONCE)
                .callback(received::add).send().get(10, TimeUnit.SECONDS);
        assertThat(subAck.getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        assertThat(fixture.gateway.connectedDevices()).isZero();

        Instant at = Instant.parse("2026-11-27T10:00:00Z");
        Alarm alarm = Alarm.silent("0000018f00000001", "CH-9", at, at.minusMillis(200), at.minusSeconds(300),
                Duration.ofMinutes(5));
        fixture.announce(alarm, WebhookEventType.ALARM_RAISED);
        fixture.announce(alarm.cleared(at.plusSeconds(60), ClearReason.TELEMETRY_RESUMED), WebhookEventType.ALARM_CLEARED);

        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);
        assertThat(received).extracting(p -> p.getTopic().toString()).containsOnly("$chargeline/alarms/CH-9");
        assertThat(payloadOf(received.get(0))).contains("\"type\":\"alarm.raised\"",
                "\"alarmId\":\"0000018f00000001\"", "\"chargerId\":\"CH-9\"", "\"state\":\"ACTIVE\"",
                "\"threshold\":\"PT5M\"");
        assertThat(payloadOf(received.get(1)))
                .contains("\"type\":\"alarm.cleared\"", "\"clearedAt\":\"2026-11-27T10:01:00.000Z\"");

        assertThat(subAckCodes(operator.subscribeWith().topicFilter("commands/#").send()))
                .containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        Mqtt5PubAckReasonCode publish = pubAckCode(operator.publishWith().topic("telemetry/ops")
                .qos(MqttQos.AT_LEAST_ONCE).payload(GatewayFixture.payload("ops", 0)).send());
        assertThat(publish).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        assertThat(fixture.store.stored).isEmpty();
        assertThat(metrics.topicRefusals)
                .containsExactly(GatewayMetrics.TopicAction.SUBSCRIBE, GatewayMetrics.TopicAction.PUBLISH);

        // HiveMQ closed the connection after a NOT_AUTHORIZED PUBACK; this gateway keeps it: events still arrive
        fixture.announce(alarm, WebhookEventType.ALARM_RAISED);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 3);
        assertThat(operator.getState().isConnected()).isTrue();
        assertThat(disconnectCause.get()).isNull();

        fixture.operators.revoke("ops");
        await().atMost(Duration.ofSeconds(5)).until(() -> !operator.getState().isConnected());
        assertThat(disconnectReason(disconnectCause.get())).isEqualTo(Mqtt5DisconnectReasonCode.NOT_AUTHORIZED);
        assertThat(connAckRefusal(operator)).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
        assertThat(metrics.connectRefusals).containsExactly(GatewayMetrics.ConnectRefusal.REVOKED);
        assertThat(presence.events).isEmpty(); // presence is about chargers
    }

    @Test
    void operatorCertificate_mustUseItsOwnClientId_andChargersCannotWatchAlarms() throws Exception {
        fixture.start();
        IssuedCertificate ops = fixture.operators.provision("ops", null);
        Mqtt5AsyncClient posing = Mqtt5Client.builder().identifier("ops").serverHost("127.0.0.1")
                .serverPort(fixture.port()).sslConfig(fixture.hivemqTls(ops)).buildAsync();
        assertThat(connAckRefusal(posing)).isEqualTo(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
        // a charger named like the operator is a different identity: the operator's certificate does not make it
        fixture.charger("ops");
        assertThat(connAckRefusal(posing)).isEqualTo(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
        assertThat(metrics.connectRefusals).containsExactly(GatewayMetrics.ConnectRefusal.CLIENT_ID_MISMATCH,
                GatewayMetrics.ConnectRefusal.CLIENT_ID_MISMATCH);

        Mqtt5AsyncClient charger = fixture.hivemq("CH-1");
        assertThat(subAckCodes(charger.subscribeWith().topicFilter("$chargeline/alarms/CH-1").send()))
                .containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        assertThat(subAckCodes(charger.subscribeWith().topicFilter("$chargeline/alarms/#").send()))
                .containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        assertThat(fixture.gateway.connectedDevices()).isEqualTo(1);
        charger.disconnect().get(10, TimeUnit.SECONDS);
    }

    // ---- revocation

    @Test
    void chargerRevocation_dropsLiveMqtt5AndMqtt311Sessions_andTheyCannotReconnect() throws Exception {
        fixture.start();
        AtomicReference<Throwable> disconnectCause = new AtomicReference<>();
        Mqtt5AsyncClient five = hivemq(fixture.charger("CH-5"), "CH-5", disconnectCause);
        five.connect().get(30, TimeUnit.SECONDS);
        MqttConnectOptions threeOptions = fixture.pahoOptions(fixture.charger("CH-3"));
        MqttClient three = pahoClient("CH-3");
        three.connect(threeOptions);
        assertThat(fixture.gateway.connectedDevices()).isEqualTo(2);

        fixture.devices.revoke("CH-5");
        fixture.devices.revoke("CH-3");

        await().atMost(Duration.ofSeconds(5)).until(() -> !five.getState().isConnected() && !three.isConnected());
        assertThat(disconnectReason(disconnectCause.get())).isEqualTo(Mqtt5DisconnectReasonCode.NOT_AUTHORIZED);
        assertThat(connAckRefusal(five)).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
        assertThatThrownBy(() -> three.connect(threeOptions)).isInstanceOfSatisfying(MqttException.class,
                e -> assertThat(e.getReasonCode()).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED));
        assertThat(metrics.connectRefusals).containsExactly(GatewayMetrics.ConnectRefusal.REVOKED,
                GatewayMetrics.ConnectRefusal.REVOKED);
        await().atMost(Duration.ofSeconds(10)).until(() -> presence.events.containsAll(
                List.of("CH-5 disconnected REVOKED", "CH-3 disconnected REVOKED")));
        assertThat(fixture.gateway.connectedDevices()).isZero();
    }

    // ---- presence: connects and disconnects, with the reason

    @Test
    void presence_cleanDisconnect_isClientDisconnect() throws Exception {
        fixture.start();
        Mqtt5AsyncClient client = fixture.hivemq("CH-P");

        client.disconnect().get(10, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(10)).until(() -> presence.events.size() == 2);
        assertThat(presence.events).containsExactly("CH-P connected", "CH-P disconnected CLIENT_DISCONNECT");
    }

    @Test
    void presence_droppedSocket_isConnectionLost() throws Exception {
        fixture.start();
        SSLSocket socket = rawSession("CH-P", 60);
        await().atMost(Duration.ofSeconds(10)).until(() -> presence.events.contains("CH-P connected"));

        socket.close(); // no DISCONNECT

        await().atMost(Duration.ofSeconds(10)).until(() -> presence.events.size() == 2);
        assertThat(presence.events).containsExactly("CH-P connected", "CH-P disconnected CONNECTION_LOST");
        assertThat(fixture.gateway.connectedDevices()).isZero();
    }

    @Test
    void takeover_secondConnectionWithTheSameClientId_closesTheFirst_withSessionTakenOver() throws Exception {
        fixture.start();
        IssuedCertificate cert = fixture.charger("CH-T");
        AtomicReference<Throwable> firstCause = new AtomicReference<>();
        Mqtt5AsyncClient first = hivemq(cert, "CH-T", firstCause);
        first.connect().get(30, TimeUnit.SECONDS);
        Mqtt5AsyncClient second = hivemq(cert, "CH-T", new AtomicReference<>());

        second.connect().get(30, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(10)).until(() -> !first.getState().isConnected());
        assertThat(disconnectReason(firstCause.get())).isEqualTo(Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER);
        // the new connection is announced before or after the old one's end: they run on different event loops
        await().atMost(Duration.ofSeconds(10)).until(() -> presence.events.size() == 3);
        assertThat(presence.events).containsExactlyInAnyOrder("CH-T connected", "CH-T connected",
                "CH-T disconnected TAKEN_OVER");
        assertThat(second.getState().isConnected()).isTrue();
        assertThat(fixture.gateway.connectedDevices()).isEqualTo(1);
        assertThat(pubAckCode(publish(second, "CH-T", 0))).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        second.disconnect().get(10, TimeUnit.SECONDS);
    }

    @Test
    void keepAliveTimeout_closesTheConnection_andIsReportedAsSuch() throws Exception {
        fixture.start();
        SSLSocket socket = rawSession("CH-K", 1); // closed after 1.5 s of silence

        await().atMost(Duration.ofSeconds(10))
                .until(() -> presence.events.contains("CH-K disconnected KEEP_ALIVE_TIMEOUT"));
        assertThat(metrics.drops).containsExactly(GatewayMetrics.DropReason.KEEP_ALIVE_TIMEOUT);
        assertThat(closedByServer(socket)).isTrue();
        socket.close();
    }

    // ---- refused topics: counted; MQTT 5 says why and stays connected, MQTT 3 (no reason codes) is dropped

    @Test
    void foreignTopic_mqtt5_isRefusedNotAuthorized_counted_andTheConnectionStays() throws Exception {
        fixture.start();
        fixture.charger("CH-2");
        Mqtt5AsyncClient client = fixture.hivemq("CH-1");

        assertThat(pubAckCode(publish(client, "CH-2", 0))).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        assertThat(subAckCodes(client.subscribeWith().topicFilter("commands/CH-2/#").send()))
                .containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        assertThat(pubAckCode(client.publishWith().topic("telemetry/CH-1").qos(MqttQos.AT_LEAST_ONCE)
                .payload(GatewayFixture.payload("CH-1", 1)).send())).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);

        assertThat(metrics.topicRefusals)
                .containsExactly(GatewayMetrics.TopicAction.PUBLISH, GatewayMetrics.TopicAction.SUBSCRIBE);
        assertThat(fixture.store.stored).extracting(TelemetryRecord::chargerId).containsExactly("CH-1");
        assertThat(client.getState().isConnected()).isTrue();
        assertThat(metrics.drops).isEmpty();
        client.disconnect().get(10, TimeUnit.SECONDS);
    }

    @Test
    void foreignTopic_mqtt311_dropsTheConnection_withoutAck_andIsCounted() throws Exception {
        fixture.start();
        fixture.charger("CH-2");
        MqttClient paho = paho("CH-1");

        assertThatThrownBy(() -> paho.publish("telemetry/CH-2", GatewayFixture.payload("CH-2", 0), 1, false))
                .isInstanceOf(MqttException.class);

        await().atMost(Duration.ofSeconds(10)).until(() -> !paho.isConnected());
        assertThat(metrics.topicRefusals).containsExactly(GatewayMetrics.TopicAction.PUBLISH);
        assertThat(fixture.store.stored).isEmpty();
    }

    // ---- helpers

    private MqttClient paho(String chargerId) throws Exception {
        MqttClient client = fixture.paho(chargerId);
        pahoClients.add(client);
        return client;
    }

    private MqttClient pahoClient(String chargerId) throws MqttException {
        MqttClient client = new MqttClient("ssl://127.0.0.1:" + fixture.port(), chargerId, new MemoryPersistence());
        client.setTimeToWait(10_000);
        pahoClients.add(client);
        return client;
    }

    private MqttAsyncClient pahoAsync(String chargerId) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient("ssl://127.0.0.1:" + fixture.port(), chargerId,
                new MemoryPersistence());
        pahoAsyncClients.add(client);
        return client;
    }

    private static void closeQuietly(MqttClient client) throws MqttException {
        if (client.isConnected()) {
            client.disconnectForcibly(0, 1_000, false);
        }
        client.close();
    }

    /** An MQTT 5 client (not yet connected) that keeps why it was disconnected. */
    private Mqtt5AsyncClient hivemq(IssuedCertificate cert, String clientId, AtomicReference<Throwable> cause) {
        return Mqtt5Client.builder().identifier(clientId).serverHost("127.0.0.1").serverPort(fixture.port())
                .sslConfig(fixture.hivemqTls(cert)).addDisconnectedListener(c -> cause.set(c.getCause()))
                .buildAsync();
    }

    /** A newly provisioned charger connected over MQTT 3.1.1 by hand-written bytes; the CONNACK is read. */
    private SSLSocket rawSession(String chargerId, int keepAliveSeconds) throws Exception {
        SSLSocket socket = fixture.rawTls(fixture.charger(chargerId));
        socket.getOutputStream().write(connect311(chargerId, keepAliveSeconds));
        socket.getOutputStream().flush();
        assertThat(socket.getInputStream().readNBytes(4)).containsExactly(0x20, 0x02, 0x00, 0x00);
        return socket;
    }

    /** CONNECT, MQTT 3.1.1, clean session, no will, for a client id under 100 bytes. */
    private static byte[] connect311(String clientId, int keepAliveSeconds) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x10);
        out.write(10 + 2 + id.length);
        out.writeBytes(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, 0x02,
            (byte) (keepAliveSeconds >> 8), (byte) keepAliveSeconds});
        out.write(id.length >> 8);
        out.write(id.length);
        out.writeBytes(id);
        return out.toByteArray();
    }

    /** Whether the server closed the socket (end of stream or reset), as opposed to it just being quiet. */
    private static boolean closedByServer(SSLSocket socket) {
        try {
            return socket.getInputStream().read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static CompletableFuture<Mqtt5PublishResult> publish(Mqtt5AsyncClient client, String chargerId,
            int second) {
        return client.publishWith().topic("telemetry/" + chargerId).qos(MqttQos.AT_LEAST_ONCE)
                .payload(GatewayFixture.payload(chargerId, second)).send();
    }

    /** The seconds (since {@link GatewayFixture#EPOCH}) of a charger's stored records, in commit order. */
    private List<Integer> storedSeconds(String chargerId) {
        return fixture.store.storedFor(chargerId).stream()
                .map(r -> (int) Duration.between(GatewayFixture.EPOCH, r.timestamp()).toSeconds())
                .toList();
    }

    @Test
    void reasonStrings_onRefusedPublishes_unlessTheClientAskedForNoProblemInformation() throws Exception {
        fixture.start();
        fixture.charger("CH-other");
        Mqtt5AsyncClient wantsThem = fixture.hivemq("CH-1");
        Mqtt5AsyncClient refusesThem = Mqtt5Client.builder().identifier("CH-2").serverHost("127.0.0.1")
                .serverPort(fixture.port()).sslConfig(fixture.hivemqTls(fixture.charger("CH-2"))).buildAsync();
        refusesThem.connectWith().restrictions().requestProblemInformation(false).applyRestrictions().send()
                .get(30, TimeUnit.SECONDS);

        Mqtt5PubAck withReason = pubAck(wantsThem.publishWith().topic("telemetry/CH-other")
                .qos(MqttQos.AT_LEAST_ONCE).payload(GatewayFixture.payload("CH-other", 0)).send());
        Mqtt5PubAck withoutReason = pubAck(refusesThem.publishWith().topic("telemetry/CH-other")
                .qos(MqttQos.AT_LEAST_ONCE).payload(GatewayFixture.payload("CH-other", 0)).send());

        assertThat(withReason.getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        assertThat(withReason.getReasonString()).map(Object::toString).get(as(InstanceOfAssertFactories.STRING))
                .contains("telemetry/CH-1");
        assertThat(withoutReason.getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        assertThat(withoutReason.getReasonString()).isEmpty();
        assertThat(fixture.store.stored).isEmpty();
    }

    private static Mqtt5PubAck pubAck(CompletableFuture<Mqtt5PublishResult> publish) throws Exception {
        try {
            return ((Mqtt5PublishResult.Mqtt5Qos1Result) publish.get(30, TimeUnit.SECONDS)).getPubAck();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Mqtt5PubAckException ack) {
                return ack.getMqttMessage();
            }
            throw e;
        }
    }

    private static String payloadOf(Mqtt5Publish publish) {
        return new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    private static Mqtt5PubAckReasonCode pubAckCode(CompletableFuture<Mqtt5PublishResult> publish) throws Exception {
        return pubAck(publish).getReasonCode();
    }

    private static List<Mqtt5SubAckReasonCode> subAckCodes(CompletableFuture<Mqtt5SubAck> subscribe) throws Exception {
        try {
            return subscribe.get(10, TimeUnit.SECONDS).getReasonCodes();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Mqtt5SubAckException refused) {
                return refused.getMqttMessage().getReasonCodes();
            }
            throw e;
        }
    }

    /** Connects, expecting a refusal; its CONNACK reason code. */
    private static Mqtt5ConnAckReasonCode connAckRefusal(Mqtt5AsyncClient client) throws Exception {
        try {
            client.connect().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Mqtt5ConnAckException refused) {
                return refused.getMqttMessage().getReasonCode();
            }
            throw e;
        }
        throw new AssertionError("the connection was accepted");
    }

    private static Mqtt5DisconnectReasonCode disconnectReason(Throwable cause) {
        assertThat(cause).isInstanceOf(Mqtt5DisconnectException.class);
        return ((Mqtt5DisconnectException) cause).getMqttMessage().getReasonCode();
    }

    /** Presence events as "CH-1 connected" and "CH-1 disconnected REASON", in the order reported. */
    private static final class RecordingPresence implements PresenceListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void connected(String chargerId, Instant at) {
            events.add(chargerId + " connected");
        }

        @Override
        public void disconnected(String chargerId, Instant at, DisconnectReason reason) {
            events.add(chargerId + " disconnected " + reason);
        }
    }

    private static final class RecordingMetrics implements GatewayMetrics {
        final List<ConnectRefusal> connectRefusals = new CopyOnWriteArrayList<>();
        final List<TopicAction> topicRefusals = new CopyOnWriteArrayList<>();
        final List<DropReason> drops = new CopyOnWriteArrayList<>();

        @Override
        public void connectRefused(ConnectRefusal reason) {
            connectRefusals.add(reason);
        }

        @Override
        public void topicRefused(TopicAction action) {
            topicRefusals.add(action);
        }

        @Override
        public void connectionDropped(DropReason reason) {
            drops.add(reason);
        }
    }
}
