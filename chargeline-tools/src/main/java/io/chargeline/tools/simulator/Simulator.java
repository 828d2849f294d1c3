package io.chargeline.tools.simulator;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.chargeline.pki.PemKeyStores;
import io.chargeline.tools.bench.DeviceIdentity;
import io.chargeline.tools.bench.Fleet;
import io.chargeline.tools.bench.PublishResults;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fleet of simulated chargers: each connects over mutual TLS with its own certificate, answers the commands
 * on its command topic ({@link CommandResponder}), and publishes telemetry from a {@link ChargerModel} every
 * interval (with jitter). A given fraction goes silent after its first message, to exercise silence alarms.
 */
public final class Simulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Simulator.class);

    /**
     * @param jitter each interval is drawn from {@code interval ± jitter}
     * @param commandFailureRate share of commands (and updates) a charger answers with FAILED
     */
    public record Settings(String host, int port, Duration interval, Duration jitter, double silentFraction,
            double commandFailureRate) {
        public Settings {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("--interval must be positive");
            }
            if (silentFraction < 0 || silentFraction > 1) {
                throw new IllegalArgumentException("--silent-fraction must be between 0 and 1");
            }
            if (commandFailureRate < 0 || commandFailureRate > 1) {
                throw new IllegalArgumentException("--command-failure-rate must be between 0 and 1");
            }
        }
    }

    /** Counters for the progress line. */
    public record Stats(int connected, long sent, long acked, long errors, long commands) {}

    private final Settings settings;
    private final Fleet fleet;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "simulator-timer");
        t.setDaemon(true);
        return t;
    });
    private final List<Mqtt5AsyncClient> clients = new ArrayList<>();
    private final AtomicLong connected = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong commands = new AtomicLong();
    private final Random random = new Random(42);
    private final ExecutorService downloadThreads = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "simulator-downloads");
        t.setDaemon(true);
        return t;
    });
    private final ArtifactDownloads downloads;
    private volatile boolean running = true;

    public Simulator(Settings settings, Fleet fleet, Clock clock) {
        this.settings = settings;
        this.fleet = fleet;
        this.clock = clock;
        this.downloads = new ArtifactDownloads(settings.host(), fleet.caPem(), downloadThreads);
    }

    /** Connects every charger and starts publishing; returns once all connection attempts are made. */
    public void start() {
        TrustManagerFactory trust = PemKeyStores.trustManagers(fleet.caPem());
        int silentCount = (int) Math.round(fleet.devices().size() * settings.silentFraction());
        for (int i = 0; i < fleet.devices().size(); i++) {
            DeviceIdentity device = fleet.devices().get(i);
            boolean silent = i < silentCount;
            Mqtt5AsyncClient client = Mqtt5Client.builder()
                    .identifier(device.chargerId())
                    .serverHost(settings.host())
                    .serverPort(settings.port())
                    .sslConfig(MqttClientSslConfig.builder()
                            .keyManagerFactory(PemKeyStores.keyManagers(device.certificatePem(), device.privateKeyPem()))
                            .trustManagerFactory(trust)
                            .build())
                    .automaticReconnectWithDefaultConfig()
                    .addConnectedListener(c -> connected.incrementAndGet())
                    .addDisconnectedListener(c -> connected.decrementAndGet())
                    .buildAsync();
            clients.add(client);
            ChargerModel model = new ChargerModel(device.chargerId(), device.chargerId().hashCode());
            CommandResponder responder = new CommandResponder(device, client, model, timer,
                    settings.commandFailureRate(), new Random(device.chargerId().hashCode()), clock, errors, downloads);
            client.connectWith().cleanStart(true).send()
                    .thenCompose(ack -> client.subscribeWith()
                            .topicFilter("commands/" + device.chargerId() + "/+")
                            .qos(MqttQos.AT_LEAST_ONCE)
                            .callback(command -> {
                                commands.incrementAndGet();
                                responder.onCommand(command);
                            })
                            .send())
                    .whenComplete((subAck, error) -> {
                        if (error != null) {
                            errors.incrementAndGet();
                            LOG.warn("{} could not connect: {}", device.chargerId(), error.getMessage());
                        } else {
                            schedule(client, model, silent, nextDelay(true));
                        }
                    });
        }
    }

    private void schedule(Mqtt5AsyncClient client, ChargerModel model, boolean silent, long delayMillis) {
        timer.schedule(() -> publish(client, model, silent), delayMillis, TimeUnit.MILLISECONDS);
    }

    private void publish(Mqtt5AsyncClient client, ChargerModel model, boolean silent) {
        if (!running) {
            return;
        }
        String json = model.step(settings.interval(), clock.instant());
        String chargerId = client.getConfig().getClientIdentifier().map(Object::toString).orElseThrow();
        sent.incrementAndGet();
        client.publishWith().topic("telemetry/" + chargerId).qos(MqttQos.AT_LEAST_ONCE)
                .payload(json.getBytes(StandardCharsets.UTF_8)).send()
                .whenComplete((result, error) -> {
                    if (error == null && PublishResults.acknowledged(result)) {
                        acked.incrementAndGet();
                    } else {
                        errors.incrementAndGet();
                    }
                });
        if (!silent) {
            schedule(client, model, false, nextDelay(false));
        }
    }

    /** First publishes are spread over one interval, so the fleet does not publish in lock step. */
    private synchronized long nextDelay(boolean first) {
        long interval = settings.interval().toMillis();
        if (first) {
            return (long) (random.nextDouble() * interval);
        }
        long jitter = settings.jitter().toMillis();
        return Math.max(1, interval + (jitter == 0 ? 0 : (long) ((random.nextDouble() * 2 - 1) * jitter)));
    }

    public Stats stats() {
        return new Stats((int) connected.get(), sent.get(), acked.get(), errors.get(), commands.get());
    }

    /** Prints a progress line every {@code every} until {@code stop} is counted down. */
    public void reportUntil(CountDownLatch stop, Duration every, Consumer<String> out) throws InterruptedException {
        long lastAcked = 0;
        long lastTime = System.nanoTime();
        while (!stop.await(every.toMillis(), TimeUnit.MILLISECONDS)) {
            Stats s = stats();
            long now = System.nanoTime();
            double rate = (s.acked() - lastAcked) / ((now - lastTime) / 1e9);
            lastAcked = s.acked();
            lastTime = now;
            out.accept(String.format("connected %d/%d  sent %d  acked %d  errors %d  commands %d  %.1f msg/s",
                    s.connected(), clients.size(), s.sent(), s.acked(), s.errors(), s.commands(), rate));
        }
    }

    /** Stops publishing and disconnects every charger cleanly. */
    @Override
    public void close() {
        running = false;
        timer.shutdownNow();
        downloadThreads.shutdownNow();
        for (Mqtt5AsyncClient client : clients) {
            try {
                client.disconnect().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("disconnect failed", e);
            }
        }
    }
}
