package io.chargeline.broker.hivemq;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import io.chargeline.core.DeviceService;
import io.chargeline.core.DeviceSessions;
import io.chargeline.core.GatewayMetrics;
import io.chargeline.core.IngestPipeline;
import io.chargeline.core.PresenceListener;
import io.chargeline.core.alarm.AlarmEvents;
import io.chargeline.core.command.CommandChannel;
import io.chargeline.core.command.CommandInbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device gateway: an embedded HiveMQ CE broker on one mutual-TLS listener, with Chargeline's
 * extension deciding who may connect, where each charger may publish and subscribe, and when a telemetry
 * PUBLISH is acknowledged (after its durable commit).
 */
public final class HiveMqGateway implements DeviceSessions, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HiveMqGateway.class);

    private final EmbeddedHiveMQ broker;
    private final AtomicInteger connected;
    private final AtomicReference<ClientService> clients;
    private final Set<String> revoking;
    private final AlarmTopic alarms;
    private final MqttCommandChannel commandChannel;
    private final int port;
    private final String bindAddress;

    private HiveMqGateway(EmbeddedHiveMQ broker, AtomicInteger connected, AtomicReference<ClientService> clients,
            Set<String> revoking, AlarmTopic alarms, MqttCommandChannel commandChannel, String bindAddress, int port) {
        this.broker = broker;
        this.connected = connected;
        this.clients = clients;
        this.revoking = revoking;
        this.alarms = alarms;
        this.commandChannel = commandChannel;
        this.bindAddress = bindAddress;
        this.port = port;
    }

    /**
     * Starts the broker, reporting chargers' connects and disconnects to {@code presence}, and returns once it
     * listens.
     *
     * @param devices the chargers that may connect
     * @param operators the operator clients that may connect to watch alarms ({@link DeviceService#forOperators})
     * @param commands told of chargers' subscriptions, command PUBACKs and replies
     */
    public static HiveMqGateway start(GatewaySettings settings, IngestPipeline pipeline, DeviceService devices,
            DeviceService operators, GatewayMetrics metrics, PresenceListener presence, CommandInbox commands,
            Clock clock) {
        try {
            int port = settings.port() == 0 ? freePort(settings.bindAddress()) : settings.port();
            Path work = settings.workDir();
            Path config = work.resolve("conf");
            Path extensions = Files.createDirectories(work.resolve("extensions"));
            Path data = Files.createDirectories(work.resolve("data"));
            BrokerConfig.write(config, settings, port);
            AtomicInteger connected = new AtomicInteger();
            AtomicReference<ClientService> clients = new AtomicReference<>();
            Set<String> revoking = ConcurrentHashMap.newKeySet();
            AtomicReference<PublishService> publisher = new AtomicReference<>();
            ConnectionDropper dropper = new ConnectionDropper(clients);
            AlarmTopic alarms = new AlarmTopic(publisher, clock);
            ChargelineExtension extension = new ChargelineExtension(
                    new CertificateAuthenticator(devices, operators, settings.issuedByOurCa(), metrics),
                    new ChargerTopicAuthorizer(metrics),
                    new ChargelineExtension.ConnectionInterceptors() {
                        @Override
                        public TelemetryInterceptor inbound(PendingAcks pending) {
                            return new TelemetryInterceptor(pipeline, metrics, clock, dropper, pending, commands);
                        }

                        @Override
                        public DurableAckReleaser ackReleaser(PendingAcks pending) {
                            return new DurableAckReleaser(pending, metrics, dropper);
                        }

                        @Override
                        public CommandAcks commandAcks() {
                            return new CommandAcks(commands);
                        }
                    },
                    new ConnectedDevices(connected, presence, revoking, clock),
                    clients, publisher);
            EmbeddedHiveMQ broker = EmbeddedHiveMQ.builder()
                    .withConfigurationFolder(config)
                    .withDataFolder(data)
                    .withExtensionsFolder(extensions)
                    .withoutLoggingBootstrap()
                    .withEmbeddedExtension(EmbeddedExtension.builder()
                            .withId("chargeline")
                            .withName("Chargeline")
                            .withVersion("1")
                            .withPriority(1000)
                            .withExtensionMain(extension)
                            .build())
                    .build();
            broker.start().get(60, TimeUnit.SECONDS);
            HiveMqGateway gateway = new HiveMqGateway(broker, connected, clients, revoking, alarms,
                    new MqttCommandChannel(publisher, clock), settings.bindAddress(), port);
            LOG.info("gateway: MQTT over mutual TLS on {}:{}", settings.bindAddress(), port);
            return gateway;
        } catch (IOException e) {
            throw new UncheckedIOException("gateway: cannot prepare the broker directories", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("gateway: interrupted while starting", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("gateway: the broker did not start on " + settings.bindAddress() + ":"
                    + settings.port() + " (" + e.getMessage() + "); is the port in use? Pick another with --mqtt-port", e);
        }
    }

    public int port() {
        return port;
    }

    public String bindAddress() {
        return bindAddress;
    }

    /** Chargers connected and authenticated right now. */
    public int connectedDevices() {
        return Math.max(0, connected.get());
    }

    /** Where to send raised and cleared alarms so operator clients get them on {@code $chargeline/alarms/#}. */
    public AlarmEvents alarmTopic() {
        return alarms;
    }

    /** Publishes commands to chargers. */
    public CommandChannel commandChannel() {
        return commandChannel;
    }

    @Override
    public void disconnect(String clientId) {
        revoking.add(clientId); // so presence records why
        clients.get().disconnectClient(clientId).whenComplete((was, error) -> {
            if (error != null || !Boolean.TRUE.equals(was)) {
                revoking.remove(clientId);
            }
            if (error != null) {
                LOG.warn("{} could not be disconnected: {}", clientId, error.getMessage());
            } else if (Boolean.TRUE.equals(was)) {
                LOG.info("{} disconnected by the server", clientId);
            }
        });
    }

    /** Stops accepting connections and closes the broker. */
    @Override
    public void close() {
        try {
            broker.stop().get(30, TimeUnit.SECONDS);
            broker.close();
            LOG.info("gateway: stopped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("gateway: stop did not complete cleanly: {}", e.getMessage());
        }
    }

    private static int freePort(String bindAddress) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(bindAddress))) {
            return socket.getLocalPort();
        }
    }
}
