package io.chargeline.broker.hivemq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.chargeline.core.DeadLetter;
import io.chargeline.core.Device;
import io.chargeline.core.DeviceRegistry;
import io.chargeline.core.DeviceService;
import io.chargeline.core.GatewayMetrics;
import io.chargeline.core.HistoryQuery;
import io.chargeline.core.IngestMetrics;
import io.chargeline.core.IngestPipeline;
import io.chargeline.core.IssuedCertificate;
import io.chargeline.core.Page;
import io.chargeline.core.PipelineSettings;
import io.chargeline.core.StorageException;
import io.chargeline.core.TelemetryRecord;
import io.chargeline.core.TelemetryStore;
import io.chargeline.core.TelemetryValidator;
import io.chargeline.core.PresenceListener;
import io.chargeline.core.alarm.Alarm;
import io.chargeline.core.command.CommandInbox;
import io.chargeline.pki.CertificateAuthority;
import io.chargeline.pki.PemKeyStores;
import io.chargeline.pki.TlsFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway with a real broker and real clients: its failure paths (when a message could not be made durable,
 * no client ever sees a successful acknowledgement) and its operator clients. The store behind the pipeline is
 * a test double that fails or stalls on demand.
 */
class HiveMqGatewayTest {
    private static final Clock CLOCK = Clock.systemUTC();

    @TempDir
    Path dir;

    private final StallingStore store = new StallingStore();
    private IngestPipeline pipeline;
    private HiveMqGateway gateway;
    private DeviceService devices;
    private DeviceService operators;
    private CertificateAuthority ca;

    @AfterEach
    void stop() {
        store.release.countDown();
        if (gateway != null) {
            gateway.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void storageFailure_mqtt5_dropsTheConnection_withoutPubAck() throws Exception {
        start(PipelineSettings.DEFAULTS);
        store.fail = true;
        store.release.countDown();
        Mqtt5AsyncClient client = connect("CH-1");

        CompletableFuture<Mqtt5PublishResult> publish = publish(client, "CH-1", 0);

        await().atMost(Duration.ofSeconds(10)).until(() -> !client.getState().isConnected());
        assertThat(publish).satisfiesAnyOf(
                p -> assertThat(p).isNotDone(),
                p -> assertThat(p).isCompletedExceptionally());
    }

    @Test
    void storageFailure_mqtt311_dropsTheConnection_withoutPubAck() throws Exception {
        start(PipelineSettings.DEFAULTS);
        store.fail = true;
        store.release.countDown();
        MqttClient paho = paho("CH-2");

        assertThatThrownBy(() -> paho.publish("telemetry/CH-2", payload("CH-2", 0), 1, false))
                .isInstanceOf(MqttException.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> !paho.isConnected());
        paho.close();
    }

    @Test
    void fullPipeline_mqtt5_getsQuotaExceeded_andTheQueuedMessagesAreStoredOnceItDrains() throws Exception {
        start(new PipelineSettings(1, TelemetryValidator.MAX_PAYLOAD_BYTES, 1, Duration.ofMillis(200)));
        Mqtt5AsyncClient first = connect("CH-A");
        Mqtt5AsyncClient second = connect("CH-B");
        Mqtt5AsyncClient third = connect("CH-C");

        CompletableFuture<Mqtt5PublishResult> inCommit = publish(first, "CH-A", 0);
        assertThat(store.commitStarted.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Mqtt5PublishResult> queued = publish(second, "CH-B", 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> pipeline.queued() == 1);
        Mqtt5PubAckReasonCode refused = pubAckCode(publish(third, "CH-C", 0));
        store.release.countDown();

        assertThat(refused).isEqualTo(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED);
        assertThat(pubAckCode(inCommit)).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        assertThat(pubAckCode(queued)).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        assertThat(store.stored.keySet()).containsExactlyInAnyOrder("CH-A", "CH-B");
    }

    @Test
    void mqtt311ClientOutrunningCommits_isDisconnectedWithoutAck_andEverythingAckedIsStored() throws Exception {
        // a full pipeline blocks the broker's hand-over, so the client's publishes queue up inside the broker
        start(new PipelineSettings(1, TelemetryValidator.MAX_PAYLOAD_BYTES, 1, Duration.ofSeconds(30)));
        store.commitMillis = 10;
        store.release.countDown();
        IssuedCertificate cert = devices.provision("CH-fast", null);
        MqttConnectOptions options = pahoOptions(cert);
        options.setMaxInflight(1000); // MQTT 3 has no flow control: nothing stops the client but the server
        MqttAsyncClient client = new MqttAsyncClient("ssl://127.0.0.1:" + gateway.port(), "CH-fast", new MemoryPersistence());
        Set<Instant> acked = ConcurrentHashMap.newKeySet();
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
                acked.add((Instant) token.getUserContext());
            }
        });
        client.connect(options).waitForCompletion(10_000);

        for (int i = 0; i < 1000 && client.isConnected(); i++) {
            Instant ts = Instant.parse("2026-02-10T19:58:00Z").plusSeconds(i);
            client.publish("telemetry/CH-fast", payload("CH-fast", i), 1, false, ts, null);
        }

        assertThat(lost.await(30, TimeUnit.SECONDS)).as("disconnected once its backlog exceeded "
                + TelemetryInterceptor.MAX_MQTT3_BACKLOG).isTrue();
        assertThat(acked).hasSizeLessThan(1000);
        assertThat(store.storedTimestamps).containsAll(acked);
        client.close();
    }

    @Test
    void operator_receivesAlarmEvents_publishesNothing_andIsNotCountedAsACharger() throws Exception {
        start(PipelineSettings.DEFAULTS);
        store.release.countDown();
        Mqtt5AsyncClient operator = Mqtt5Client.builder().identifier("operator:ops").serverHost("127.0.0.1")
                .serverPort(gateway.port()).sslConfig(ssl(operators.provision("ops", null))).buildAsync();
        operator.connect().get(30, TimeUnit.SECONDS);
        List<Mqtt5Publish> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        Mqtt5SubAck subAck = operator.subscribeWith().topicFilter("$chargeline/alarms/#").qos(MqttQos.AT_LEAST_ONCE)
                .callback(received::add).send().get(10, TimeUnit.SECONDS);
        assertThat(subAck.getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        assertThat(gateway.connectedDevices()).isZero();

        Instant at = Instant.parse("2026-11-27T10:00:00Z");
        Alarm alarm = Alarm.silent("0000018f00000001", "CH-9", at, at.minusMillis(200), at.minusSeconds(300),
                Duration.ofMinutes(5));
        gateway.alarmTopic().raised(alarm);
        gateway.alarmTopic().cleared(alarm.cleared(at.plusSeconds(60), io.chargeline.core.alarm.ClearReason.TELEMETRY_RESUMED));

        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);
        assertThat(received).extracting(p -> p.getTopic().toString()).containsOnly("$chargeline/alarms/CH-9");
        String raised = StandardCharsets.UTF_8.decode(received.get(0).getPayload().orElseThrow()).toString();
        assertThat(raised).contains("\"type\":\"alarm.raised\"", "\"alarmId\":\"0000018f00000001\"",
                "\"chargerId\":\"CH-9\"", "\"state\":\"ACTIVE\"", "\"threshold\":\"PT5M\"");
        assertThat(StandardCharsets.UTF_8.decode(received.get(1).getPayload().orElseThrow()).toString())
                .contains("\"type\":\"alarm.cleared\"", "\"clearedAt\":\"2026-11-27T10:01:00.000Z\"");

        assertThat(subAckCodes(operator.subscribeWith().topicFilter("commands/#").send()))
                .containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        // HiveMQ closes the connection after a NOT_AUTHORIZED PUBACK
        Mqtt5PubAckReasonCode publish = pubAckCode(operator.publishWith().topic("telemetry/ops")
                .qos(MqttQos.AT_LEAST_ONCE).payload(payload("ops", 0)).send());
        assertThat(publish).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        assertThat(store.stored).isEmpty();

        await().atMost(Duration.ofSeconds(10)).until(() -> !operator.getState().isConnected());
        operator.connect().get(30, TimeUnit.SECONDS);
        operators.revoke("ops");
        await().atMost(Duration.ofSeconds(10)).until(() -> !operator.getState().isConnected());
        assertThatThrownBy(() -> operator.connect().get(30, TimeUnit.SECONDS)).hasMessageContaining("NOT_AUTHORIZED");
    }

    @Test
    void operatorCertificate_mustUseItsOwnClientId_andChargersCannotWatchAlarms() throws Exception {
        start(PipelineSettings.DEFAULTS);
        IssuedCertificate ops = operators.provision("ops", null);
        Mqtt5AsyncClient posing = Mqtt5Client.builder().identifier("ops").serverHost("127.0.0.1")
                .serverPort(gateway.port()).sslConfig(ssl(ops)).buildAsync();
        assertThatThrownBy(() -> posing.connect().get(30, TimeUnit.SECONDS))
                .hasMessageContaining("CLIENT_IDENTIFIER_NOT_VALID");
        // a charger named like the operator is a different identity: the operator's certificate does not make it
        devices.provision("ops", null);
        assertThatThrownBy(() -> posing.connect().get(30, TimeUnit.SECONDS))
                .hasMessageContaining("CLIENT_IDENTIFIER_NOT_VALID");

        Mqtt5AsyncClient charger = connect("CH-1");
        assertThat(subAckCodes(charger.subscribeWith().topicFilter("$chargeline/alarms/CH-1").send()))
                .containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        assertThat(gateway.connectedDevices()).isEqualTo(1);
        charger.disconnect().get(10, TimeUnit.SECONDS);
    }

    private void start(PipelineSettings settings) {
        ca = CertificateAuthority.loadOrCreate(dir.resolve("tls"), CLOCK);
        TlsFiles tls = TlsFiles.prepare(dir.resolve("tls"), ca, List.of(), CLOCK);
        devices = new DeviceService(new MemoryRegistry(), ca, CLOCK);
        operators = DeviceService.forOperators(new MemoryRegistry(), ca, CLOCK);
        // the payloads are from February; this test is not about retention
        pipeline = new IngestPipeline(store, new TelemetryValidator(CLOCK, Duration.ofDays(3650)), CLOCK,
                IngestMetrics.NONE, settings);
        gateway = HiveMqGateway.start(new GatewaySettings(dir.resolve("broker"), "127.0.0.1", 0, tls.keyStore(),
                tls.trustStore(), tls.storePassword(), ca::hasIssued), pipeline, devices, operators, GatewayMetrics.NONE,
                PresenceListener.NONE, CommandInbox.NONE, CLOCK);
        devices.attachSessions(gateway);
        operators.attachSessions(gateway);
    }

    private MqttClientSslConfig ssl(IssuedCertificate cert) {
        return MqttClientSslConfig.builder()
                .keyManagerFactory(PemKeyStores.keyManagers(cert.certificatePem(), cert.privateKeyPem()))
                .trustManagerFactory(PemKeyStores.trustManagers(ca.caCertificatePem()))
                .build();
    }

    private Mqtt5AsyncClient connect(String chargerId) throws Exception {
        Mqtt5AsyncClient client = Mqtt5Client.builder().identifier(chargerId).serverHost("127.0.0.1")
                .serverPort(gateway.port()).sslConfig(ssl(devices.provision(chargerId, null))).buildAsync();
        client.connect().get(30, TimeUnit.SECONDS);
        return client;
    }

    private MqttClient paho(String chargerId) throws Exception {
        MqttClient client = new MqttClient("ssl://127.0.0.1:" + gateway.port(), chargerId, new MemoryPersistence());
        client.setTimeToWait(10_000);
        client.connect(pahoOptions(devices.provision(chargerId, null)));
        return client;
    }

    private MqttConnectOptions pahoOptions(IssuedCertificate cert) throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(PemKeyStores.keyManagers(cert.certificatePem(), cert.privateKeyPem()).getKeyManagers(),
                PemKeyStores.trustManagers(ca.caCertificatePem()).getTrustManagers(), null);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setAutomaticReconnect(false);
        options.setSocketFactory(tls.getSocketFactory());
        return options;
    }

    private static CompletableFuture<Mqtt5PublishResult> publish(Mqtt5AsyncClient client, String chargerId, int second) {
        return client.publishWith().topic("telemetry/" + chargerId).qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload(chargerId, second)).send();
    }

    private static Mqtt5PubAckReasonCode pubAckCode(CompletableFuture<Mqtt5PublishResult> publish) throws Exception {
        try {
            return ((Mqtt5PublishResult.Mqtt5Qos1Result) publish.get(30, TimeUnit.SECONDS)).getPubAck().getReasonCode();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Mqtt5PubAckException ack) {
                return ack.getMqttMessage().getReasonCode();
            }
            throw e;
        }
    }

    private static List<Mqtt5SubAckReasonCode> subAckCodes(CompletableFuture<Mqtt5SubAck> subscribe) throws Exception {
        try {
            return subscribe.get(10, TimeUnit.SECONDS).getReasonCodes();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Mqtt5SubAckException refused) {
                return refused.getMqttMessage().getReasonCodes();
            }
            throw e;
        }
    }

    private static byte[] payload(String chargerId, int second) {
        return ("{\"chargerId\":\"" + chargerId + "\",\"timestamp\":\"" + Instant.parse("2026-02-10T19:58:00Z").plusSeconds(second)
                + "\",\"data\":{}}").getBytes(StandardCharsets.UTF_8);
    }

    /** Holds every commit until released, then stores it in memory or fails it. */
    private static final class StallingStore implements TelemetryStore {
        final CountDownLatch commitStarted = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final Map<String, TelemetryRecord> stored = new ConcurrentHashMap<>();
        final Set<Instant> storedTimestamps = ConcurrentHashMap.newKeySet();
        volatile boolean fail;
        volatile long commitMillis;

        @Override
        public List<Unstorable> commit(List<TelemetryRecord> records, List<DeadLetter> deadLetters) {
            commitStarted.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (commitMillis > 0) {
                try {
                    Thread.sleep(commitMillis); // a slow disk
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (fail) {
                throw new StorageException("disk full", null);
            }
            records.forEach(r -> {
                stored.put(r.chargerId(), r);
                storedTimestamps.add(r.timestamp());
            });
            return List.of();
        }

        @Override
        public Optional<TelemetryRecord> latest(String chargerId) {
            return Optional.ofNullable(stored.get(chargerId));
        }

        @Override
        public Page<TelemetryRecord> history(HistoryQuery query) {
            return new Page<>(List.of(), null);
        }

        @Override
        public long count(String chargerId, Instant from, Instant to) {
            return 0;
        }

        @Override
        public java.util.Map<String, Instant> lastReceived() {
            return java.util.Map.of(); // liveness is not under test here
        }

        @Override
        public List<DeadLetter> recentDeadLetters(int limit) {
            return List.of();
        }

        @Override
        public int expire(Instant now) {
            return 0;
        }

        @Override
        public void close() {}
    }

    private static final class MemoryRegistry implements DeviceRegistry {
        private final Map<String, Device> devices = new TreeMap<>();

        @Override
        public synchronized void put(Device device) {
            devices.put(device.chargerId(), device);
        }

        @Override
        public synchronized Optional<Device> find(String chargerId) {
            return Optional.ofNullable(devices.get(chargerId));
        }

        @Override
        public synchronized Page<Device> list(String afterChargerId, int limit) {
            return new Page<>(List.copyOf(devices.values()), null);
        }
    }
}
