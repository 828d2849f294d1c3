package io.chargeline.tools.bench;

import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.chargeline.pki.PemKeyStores;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import javax.net.ssl.TrustManagerFactory;

/**
 * The load generator: one async MQTT 5 client per device over mutual TLS, each keeping a fixed number of
 * publishes outstanding (closed loop), so the server's acknowledgement speed sets the rate. The same code
 * drives Chargeline and the peer broker.
 */
public final class IngestLoad {
    private final LoadSettings settings;
    private final Fleet fleet;
    private final Instant timestampBase;
    private final long spacingNanos;
    private final Consumer<String> progress;

    /**
     * @param timestampBase message timestamps are {@code base + sequence µs} per device, so every message
     *     has its own (chargerId, timestamp) and stored counts can be checked against acknowledgements
     */
    public IngestLoad(LoadSettings settings, Fleet fleet, Instant timestampBase, Consumer<String> progress) {
        this(settings, fleet, timestampBase, Duration.ofNanos(1_000), progress);
    }

    /** @param spacing between one device's message timestamps: a second, as a charger sends, spreads them in time */
    public IngestLoad(LoadSettings settings, Fleet fleet, Instant timestampBase, Duration spacing,
            Consumer<String> progress) {
        this.settings = settings;
        this.fleet = fleet;
        this.timestampBase = timestampBase;
        this.spacingNanos = spacing.toNanos();
        this.progress = progress;
    }

    /** Told when the measured window opens and closes, e.g. to read the server's own metrics for just that window. */
    public interface Window {
        Window NONE = new Window() {};

        default void opened() throws Exception {}

        default void closed() throws Exception {}
    }

    public LoadResult run(String targetName, String host, int port, long serverPid) throws Exception {
        return run(targetName, host, port, serverPid, Window.NONE);
    }

    public LoadResult run(String targetName, String host, int port, long serverPid, Window window) throws Exception {
        List<DeviceIdentity> devices = fleet.devices().subList(0, settings.devices());
        TrustManagerFactory trust = PemKeyStores.trustManagers(fleet.caPem());
        MqttClientExecutorConfig executors = MqttClientExecutorConfig.builder()
                .nettyThreads(Math.max(1, Runtime.getRuntime().availableProcessors())).build();
        long connectStart = System.nanoTime();
        List<Mqtt5AsyncClient> clients = new ArrayList<>();
        List<CompletableFuture<?>> connects = new ArrayList<>();
        for (DeviceIdentity d : devices) {
            Mqtt5AsyncClient client = Mqtt5Client.builder()
                    .identifier(d.chargerId())
                    .serverHost(host)
                    .serverPort(port)
                    .executorConfig(executors)
                    .sslConfig(MqttClientSslConfig.builder()
                            .keyManagerFactory(PemKeyStores.keyManagers(d.certificatePem(), d.privateKeyPem()))
                            .trustManagerFactory(trust)
                            .build())
                    .buildAsync();
            clients.add(client);
            connects.add(client.connectWith().cleanStart(true).keepAlive(60).send());
        }
        CompletableFuture.allOf(connects.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        progress.accept(String.format("%s: %d devices connected in %.1f s", targetName, devices.size(), connectSeconds));

        Run run = new Run(devices.size());
        double cpuBefore = ProcessStats.cpuSeconds(serverPid);
        Thread pacer = null;
        if (settings.ratePerSecond() == 0) {
            for (int i = 0; i < devices.size(); i++) {
                for (int k = 0; k < settings.inflight(); k++) {
                    run.outstanding.incrementAndGet();
                    run.publishNext(clients.get(i), devices.get(i).chargerId(), i);
                }
            }
        } else {
            pacer = new Thread(() -> run.pace(clients, devices), "bench-pacer");
            pacer.setDaemon(true);
            pacer.start();
        }
        Thread.sleep(settings.warmup().toMillis());
        run.measuring.set(true);
        long measureStart = System.nanoTime();
        long ackedAtStart = run.acked.get();
        int seconds = (int) settings.duration().toSeconds();
        window.opened();
        double cpuAtMeasureStart = ProcessStats.cpuSeconds(serverPid);
        double ownCpuAtMeasureStart = ProcessStats.cpuSeconds(ProcessHandle.current().pid());
        for (int s = 0; s < seconds; s++) {
            Thread.sleep(1000);
            run.second.incrementAndGet();
            progress.accept(String.format("%s: %ds/%ds acked=%d failed=%d", targetName, s + 1, seconds,
                    run.acked.get() - ackedAtStart, run.failed.get()));
        }
        long ackedInWindow = run.acked.get() - ackedAtStart;
        double measured = (System.nanoTime() - measureStart) / 1e9;
        double cpuAtMeasureEnd = ProcessStats.cpuSeconds(serverPid);
        double ownCpuAtMeasureEnd = ProcessStats.cpuSeconds(ProcessHandle.current().pid());
        window.closed();
        run.measuring.set(false);
        run.stopped.set(true);
        if (pacer != null) {
            pacer.join(10_000);
        }
        long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (run.outstanding.get() > 0 && System.nanoTime() < drainDeadline) {
            Thread.sleep(20);
        }
        double rss = ProcessStats.memoryMiB(serverPid, false);
        double peak = ProcessStats.memoryMiB(serverPid, true);
        for (Mqtt5AsyncClient client : clients) {
            client.disconnect().exceptionally(e -> null);
        }
        List<Long> perSecond = new ArrayList<>();
        for (int s = 0; s < seconds; s++) {
            perSecond.add(run.perSecond.get(s));
        }
        Map<String, Long> perDevice = new LinkedHashMap<>();
        for (int i = 0; i < devices.size(); i++) {
            perDevice.put(devices.get(i).chargerId(), run.ackedPerDevice.get(i));
        }
        double cores = cpuBefore < 0 ? -1 : (cpuAtMeasureEnd - cpuAtMeasureStart) / measured;
        double generatorCores = ownCpuAtMeasureStart < 0 ? -1 : (ownCpuAtMeasureEnd - ownCpuAtMeasureStart) / measured;
        if (run.skipped.get() > 0) {
            progress.accept(String.format("%s: %d sends skipped because a connection had %d unacknowledged: the server "
                    + "could not keep up with --rate", targetName, run.skipped.get(), settings.inflight()));
        }
        return new LoadResult(targetName, run.sent.get(), run.acked.get(), run.failed.get(), measured,
                ackedInWindow / measured, run.latency.snapshot(), perSecond, perDevice, connectSeconds, cores, generatorCores,
                rss, peak);
    }

    private final class Run {
        final AtomicLong sent = new AtomicLong();
        final AtomicLong acked = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong skipped = new AtomicLong();
        final AtomicInteger outstanding = new AtomicInteger();
        final AtomicInteger second = new AtomicInteger();
        final AtomicBoolean measuring = new AtomicBoolean();
        final AtomicBoolean stopped = new AtomicBoolean();
        final AtomicLongArray ackedPerDevice;
        final AtomicLongArray sequence;
        final AtomicLongArray perSecond = new AtomicLongArray((int) settings.duration().toSeconds() + 1);
        final LatencyStats latency = new LatencyStats();
        final byte[] padding;

        Run(int devices) {
            ackedPerDevice = new AtomicLongArray(devices);
            sequence = new AtomicLongArray(devices);
            // the JSON envelope is ~110 bytes; the rest is a string field so the payload has the asked size
            padding = "x".repeat(Math.max(0, settings.payloadBytes() - 110)).getBytes(StandardCharsets.US_ASCII);
        }

        /** Open loop: sends at the configured total rate, round robin, skipping connections at their cap. */
        void pace(List<Mqtt5AsyncClient> clients, List<DeviceIdentity> devices) {
            AtomicIntegerArray inflight = new AtomicIntegerArray(devices.size());
            long start = System.nanoTime();
            long issued = 0;
            int next = 0;
            while (!stopped.get()) {
                long due = (long) ((System.nanoTime() - start) / 1e9 * settings.ratePerSecond());
                for (; issued < due; issued++) {
                    int device = next;
                    next = (next + 1) % devices.size();
                    if (inflight.get(device) >= settings.inflight()) {
                        skipped.incrementAndGet(); // the server is behind: this connection is at its cap
                        continue;
                    }
                    inflight.incrementAndGet(device);
                    outstanding.incrementAndGet();
                    send(clients.get(device), devices.get(device).chargerId(), device, () -> {
                        inflight.decrementAndGet(device);
                        outstanding.decrementAndGet();
                    });
                }
                LockSupport.parkNanos(500_000);
            }
        }

        void publishNext(Mqtt5AsyncClient client, String chargerId, int device) {
            if (stopped.get()) {
                outstanding.decrementAndGet();
                return;
            }
            send(client, chargerId, device, () -> publishNext(client, chargerId, device));
        }

        private void send(Mqtt5AsyncClient client, String chargerId, int device, Runnable then) {
            long seq = sequence.getAndIncrement(device);
            byte[] payload = payload(chargerId, seq);
            long start = System.nanoTime();
            sent.incrementAndGet();
            client.publishWith()
                    .topic("telemetry/" + chargerId)
                    .qos(settings.qos() == 1 ? MqttQos.AT_LEAST_ONCE : MqttQos.AT_MOST_ONCE)
                    .payload(payload)
                    .send()
                    .whenComplete((result, error) -> {
                        if (error == null && PublishResults.acknowledged(result)) {
                            acked.incrementAndGet();
                            ackedPerDevice.incrementAndGet(device);
                            if (measuring.get()) {
                                latency.recordNanos(System.nanoTime() - start);
                                perSecond.incrementAndGet(Math.min(second.get(), perSecond.length() - 1));
                            }
                        } else {
                            failed.incrementAndGet();
                        }
                        then.run();
                    });
        }

        private byte[] payload(String chargerId, long seq) {
            String ts = timestampBase.plusNanos(seq * spacingNanos).toString();
            String head = "{\"chargerId\":\"" + chargerId + "\",\"timestamp\":\"" + ts
                    + "\",\"data\":{\"seq\":" + seq + ",\"power\":7.2,\"pad\":\"";
            byte[] h = head.getBytes(StandardCharsets.US_ASCII);
            byte[] out = new byte[h.length + padding.length + 3];
            System.arraycopy(h, 0, out, 0, h.length);
            System.arraycopy(padding, 0, out, h.length, padding.length);
            out[out.length - 3] = '"';
            out[out.length - 2] = '}';
            out[out.length - 1] = '}';
            return out;
        }
    }
}
