package io.chargeline.tools.bench;

import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.chargeline.pki.PemKeyStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.TrustManagerFactory;

/**
 * {@code bench connections}: opens and holds many mutual-TLS connections, against Chargeline and optionally
 * Mosquitto, and reports the connect rate and the server's memory per 1,000 connections. Connections come
 * from several loopback source addresses (127.0.0.1, .2, ...) to stay clear of ephemeral-port limits.
 */
public final class ConnectionsBench {
    private static final int CONNECTIONS_PER_SOURCE_ADDRESS = 20_000;

    public record Settings(int devices, int concurrency, Duration hold, String peer, Path workDir,
            ServerLaunch launch) {
        public Settings {
            if (devices < 1) {
                throw new IllegalArgumentException("--devices must be at least 1");
            }
            if (concurrency < 1) {
                throw new IllegalArgumentException("--concurrency must be at least 1");
            }
        }
    }

    /** @param rssPerThousandMiB server RSS growth from idle to all connected, per 1,000 connections */
    public record Result(String target, int connected, int failed, double seconds, double connectsPerSecond,
            double idleRssMiB, double connectedRssMiB, double rssPerThousandMiB) {}

    public record Outcome(Result chargeline, Result peer) {}

    private final Settings settings;
    private final Consumer<String> progress;

    public ConnectionsBench(Settings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
    }

    public Outcome run() throws Exception {
        SideBySide.Results<Result> results = SideBySide.run(settings.workDir(), settings.launch(), settings.peer(),
                "conn-", settings.devices(), progress, this::connectAndHold);
        return new Outcome(results.chargeline(), results.peer());
    }

    private Result connectAndHold(ServerProcess server, Fleet fleet) throws Exception {
        double idleRss = ProcessStats.memoryMiB(server.pid(), false);
        TrustManagerFactory trust = PemKeyStores.trustManagers(fleet.caPem());
        MqttClientExecutorConfig executors = MqttClientExecutorConfig.builder()
                .nettyThreads(Math.max(1, Runtime.getRuntime().availableProcessors())).build();
        Semaphore inProgress = new Semaphore(settings.concurrency());
        AtomicInteger connected = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<Mqtt5AsyncClient> clients = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < settings.devices(); i++) {
            DeviceIdentity d = fleet.devices().get(i);
            String source = "127.0.0." + (1 + i / CONNECTIONS_PER_SOURCE_ADDRESS);
            Mqtt5AsyncClient client = Mqtt5Client.builder()
                    .identifier(d.chargerId())
                    .executorConfig(executors)
                    .transportConfig()
                        .serverHost("127.0.0.1")
                        .serverPort(server.mqttPort())
                        .localAddress(source)
                        .sslConfig(MqttClientSslConfig.builder()
                                .keyManagerFactory(PemKeyStores.keyManagers(d.certificatePem(), d.privateKeyPem()))
                                .trustManagerFactory(trust)
                                .build())
                        .applyTransportConfig()
                    .buildAsync();
            clients.add(client);
            inProgress.acquire();
            client.connectWith().cleanStart(true).keepAlive(600).send().whenComplete((ack, error) -> {
                if (error == null) {
                    connected.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                }
                inProgress.release();
            });
            if ((i + 1) % 1000 == 0) {
                progress.accept(String.format("%s: %d connected, %d failed", server.name(), connected.get(), failed.get()));
            }
        }
        inProgress.acquire(settings.concurrency());
        double seconds = (System.nanoTime() - start) / 1e9;
        progress.accept(String.format("%s: %d connected in %.1f s; holding %s", server.name(), connected.get(), seconds,
                settings.hold()));
        TimeUnit.MILLISECONDS.sleep(settings.hold().toMillis());
        double connectedRss = ProcessStats.memoryMiB(server.pid(), false);
        for (Mqtt5AsyncClient client : clients) {
            client.disconnect().exceptionally(e -> null);
        }
        int n = connected.get();
        return new Result(server.name(), n, failed.get(), seconds, n / seconds, idleRss, connectedRss,
                n == 0 ? 0 : (connectedRss - idleRss) / n * 1000);
    }

    public static String table(Outcome o) {
        StringBuilder out = new StringBuilder();
        Result c = o.chargeline();
        Result p = o.peer();
        out.append(String.format("%nbench connections: %d mutual-TLS connections%n", c.connected() + c.failed()));
        out.append(String.format("%-28s %16s %16s%n", "", "Chargeline", p == null ? "" : "Mosquitto"));
        row(out, "connected", c.connected(), p == null ? null : (double) p.connected());
        row(out, "failed", c.failed(), p == null ? null : (double) p.failed());
        row(out, "connects/s", c.connectsPerSecond(), p == null ? null : p.connectsPerSecond());
        row(out, "server RSS idle MiB", c.idleRssMiB(), p == null ? null : p.idleRssMiB());
        row(out, "server RSS connected MiB", c.connectedRssMiB(), p == null ? null : p.connectedRssMiB());
        row(out, "RSS per 1000 conns MiB", c.rssPerThousandMiB(), p == null ? null : p.rssPerThousandMiB());
        return out.toString();
    }

    private static void row(StringBuilder out, String name, double ours, Double theirs) {
        out.append(theirs == null ? String.format("%-28s %16.2f%n", name, ours)
                : String.format("%-28s %16.2f %16.2f%n", name, ours, theirs));
    }
}
