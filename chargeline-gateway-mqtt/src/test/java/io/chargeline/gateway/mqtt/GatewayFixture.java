package io.chargeline.gateway.mqtt;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.chargeline.core.Page;
import io.chargeline.core.alarm.Alarm;
import io.chargeline.core.alarm.AlarmEvent;
import io.chargeline.core.command.CommandInbox;
import io.chargeline.core.device.Device;
import io.chargeline.core.device.DeviceRegistry;
import io.chargeline.core.device.DeviceService;
import io.chargeline.core.device.GatewayMetrics;
import io.chargeline.core.device.IssuedCertificate;
import io.chargeline.core.presence.PresenceListener;
import io.chargeline.core.telemetry.IngestMetrics;
import io.chargeline.core.telemetry.IngestPipeline;
import io.chargeline.core.telemetry.PipelineSettings;
import io.chargeline.core.telemetry.TelemetryValidator;
import io.chargeline.core.timing.TimeOrderedIds;
import io.chargeline.core.webhook.WebhookEventType;
import io.chargeline.pki.CertificateAuthority;
import io.chargeline.pki.PemKeyStores;
import io.chargeline.pki.TlsFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A running gateway for tests: our CA, chargers and operators in memory, the real ingest pipeline over a
 * {@link ControllableStore}, and ways to connect the clients the tests use (HiveMQ MQTT 5, Paho 3.1.1, raw TLS).
 * Build it, adjust what a test needs, then {@link #start}; {@link #close} in {@code @AfterEach}.
 */
final class GatewayFixture implements AutoCloseable {
    static final Clock CLOCK = Clock.systemUTC();
    /** The payloads' timestamps count from here; the validator accepts ten years back, as this is not about retention. */
    static final Instant EPOCH = Instant.parse("2026-02-10T19:58:00Z");

    final ControllableStore store = new ControllableStore();
    final MemoryAlarmFeeds alarmFeeds = new MemoryAlarmFeeds();
    private final TimeOrderedIds eventIds = new TimeOrderedIds();
    final CertificateAuthority ca;
    final DeviceService devices;
    final DeviceService operators;
    private final TlsFiles tls;
    PresenceListener presence = PresenceListener.NONE;
    CommandInbox commands = CommandInbox.NONE;
    GatewayMetrics metrics = GatewayMetrics.NONE;
    MqttGatewaySettings.Limits limits = MqttGatewaySettings.Limits.DEFAULTS;
    IngestPipeline pipeline;
    MqttGateway gateway;

    GatewayFixture(Path dir) {
        ca = CertificateAuthority.loadOrCreate(dir.resolve("tls"), CLOCK);
        tls = TlsFiles.prepare(dir.resolve("tls"), ca, List.of(), CLOCK);
        devices = new DeviceService(new MemoryRegistry(), ca, CLOCK);
        operators = DeviceService.forOperators(new MemoryRegistry(), ca, CLOCK);
    }

    GatewayFixture start(PipelineSettings settings) {
        pipeline = new IngestPipeline(store, new TelemetryValidator(CLOCK, Duration.ofDays(3650)), CLOCK,
                IngestMetrics.NONE, settings);
        return startGateway();
    }

    private GatewayFixture startGateway() {
        gateway = MqttGateway.start(new MqttGatewaySettings("127.0.0.1", 0, tls.keyStore(), tls.trustStore(),
                tls.storePassword(), ca::hasIssued, limits), pipeline, devices, operators, metrics, presence, commands,
                alarmFeeds, CLOCK);
        devices.attachSessions(gateway);
        operators.attachSessions(gateway);
        return this;
    }

    GatewayFixture start() {
        return start(PipelineSettings.DEFAULTS);
    }

    /** Stops the gateway (the store and alarm log stay) and starts a new one on the same pipeline: a restart. */
    GatewayFixture restartGateway() {
        gateway.close();
        return startGateway();
    }

    /** What the alarm book does: logs the event, then announces it to the gateway. */
    AlarmEvent announce(Alarm alarm, WebhookEventType type) {
        AlarmEvent event = new AlarmEvent(eventIds.next(CLOCK.instant()), type, CLOCK.instant(), alarm);
        alarmFeeds.log(event);
        gateway.alarmTopic().announced(event);
        return event;
    }

    int port() {
        return gateway.port();
    }

    IssuedCertificate charger(String chargerId) {
        return devices.provision(chargerId, null);
    }

    MqttClientSslConfig hivemqTls(IssuedCertificate cert) {
        return MqttClientSslConfig.builder()
                .keyManagerFactory(PemKeyStores.keyManagers(cert.certificatePem(), cert.privateKeyPem()))
                .trustManagerFactory(PemKeyStores.trustManagers(ca.caCertificatePem()))
                .build();
    }

    /** A newly provisioned charger connected with the HiveMQ client over MQTT 5. */
    Mqtt5AsyncClient hivemq(String chargerId) throws Exception {
        Mqtt5AsyncClient client = Mqtt5Client.builder().identifier(chargerId).serverHost("127.0.0.1")
                .serverPort(port()).sslConfig(hivemqTls(charger(chargerId))).buildAsync();
        client.connect().get(30, TimeUnit.SECONDS);
        return client;
    }

    SSLContext clientTls(IssuedCertificate cert) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(PemKeyStores.keyManagers(cert.certificatePem(), cert.privateKeyPem()).getKeyManagers(),
                    PemKeyStores.trustManagers(ca.caCertificatePem()).getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Paho options for MQTT 3.1.1 over mTLS with the given certificate, no automatic reconnect. */
    MqttConnectOptions pahoOptions(IssuedCertificate cert) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setAutomaticReconnect(false);
        options.setSocketFactory(clientTls(cert).getSocketFactory());
        return options;
    }

    /** A newly provisioned charger connected with Paho over MQTT 3.1.1. */
    MqttClient paho(String chargerId) throws Exception {
        MqttClient client = new MqttClient("ssl://127.0.0.1:" + port(), chargerId, new MemoryPersistence());
        client.setTimeToWait(10_000);
        client.connect(pahoOptions(charger(chargerId)));
        return client;
    }

    /** A TLS socket with the handshake done and nothing sent: for tests that write MQTT bytes by hand. */
    SSLSocket rawTls(IssuedCertificate cert) throws Exception {
        SSLSocket socket = (SSLSocket) clientTls(cert).getSocketFactory().createSocket("127.0.0.1", port());
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }

    static byte[] payload(String chargerId, int second) {
        return ("{\"chargerId\":\"" + chargerId + "\",\"timestamp\":\"" + EPOCH.plusSeconds(second)
                + "\",\"data\":{\"second\":" + second + "}}").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        store.release();
        if (gateway != null) {
            gateway.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
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
