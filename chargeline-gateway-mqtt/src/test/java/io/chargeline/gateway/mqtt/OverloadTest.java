package io.chargeline.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chargeline.core.device.GatewayMetrics;
import io.chargeline.core.device.IssuedCertificate;
import io.chargeline.core.telemetry.PipelineSettings;
import io.chargeline.core.telemetry.TelemetryRecord;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT 3.1.1 clients, which have no flow control of their own, flooding QoS 1 far beyond what the store commits:
 * the gateway must slow them down by not reading them, and never disconnect one, lose an acknowledged message,
 * let the ingest queue grow past its bound, or keep memory once the flood is over.
 */
class OverloadTest {
    private static final Logger LOG = LoggerFactory.getLogger(OverloadTest.class);
    private static final int CLIENTS = 20;
    /** Each client's unacknowledged publishes: 20,000 in all against a queue of 200 that commits 2,500/s. */
    private static final int WINDOW = 1_000;
    /** Per client: 30,000 in all, some 12 s of commits, nearly all of it with 100 times the queue outstanding. */
    private static final int MESSAGES = 1_500;
    private static final PipelineSettings SMALL_QUEUE = new PipelineSettings(200, 1024 * 1024, 50);
    private static final long HEAP_GROWTH_BOUND = 64L * 1024 * 1024;

    @TempDir
    Path dir;

    private GatewayFixture fixture;
    private final List<Flooder> flooders = new ArrayList<>();

    @AfterEach
    void stop() throws MqttException {
        try {
            for (Flooder f : flooders) {
                f.close();
            }
        } finally {
            fixture.close();
        }
    }

    @Test
    void tenfoldOverload_mqtt311_slowsClientsDown_withoutDisconnectsLossOrMemoryGrowth() throws Exception {
        fixture = new GatewayFixture(dir);
        List<GatewayMetrics.DropReason> drops = new CopyOnWriteArrayList<>();
        fixture.metrics = new GatewayMetrics() {
            @Override
            public void connectionDropped(DropReason reason) {
                drops.add(reason);
            }
        };
        fixture.store.commitMillis = 20; // at most 50 messages per 20 ms: 2,500/s
        fixture.start(SMALL_QUEUE);
        for (int i = 0; i < CLIENTS; i++) {
            flooders.add(new Flooder("CH-flood-" + i));
        }
        long baseline = heapAfterGc();

        AtomicInteger maxQueued = new AtomicInteger();
        List<String> ackedNotStored = new CopyOnWriteArrayList<>();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> maxQueued.accumulateAndGet(fixture.pipeline.queued(), Math::max),
                0, 5, TimeUnit.MILLISECONDS);
        sampler.scheduleAtFixedRate(() -> ackedNotStored.addAll(ackedButNotStored()), 1, 1, TimeUnit.SECONDS);
        List<Thread> threads = new ArrayList<>();
        for (Flooder f : flooders) {
            Thread t = new Thread(f::flood, "flood-" + f.chargerId);
            t.start();
            threads.add(t);
        }

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> flooders.stream().allMatch(f -> f.acked.size() == MESSAGES || f.lost.get()));
        for (Thread t : threads) {
            t.join(10_000);
        }
        sampler.shutdown();
        assertThat(sampler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        int sent = flooders.stream().mapToInt(f -> f.sent.get()).sum();
        LOG.info("overload: {} clients sent {} (the store takes 2,500/s); queue peaked at {} of {}", CLIENTS, sent,
                maxQueued.get(), fixture.pipeline.capacity());
        assertThat(flooders).as("clients whose connection was lost").noneMatch(f -> f.lost.get());
        assertThat(flooders).allMatch(f -> f.client.isConnected());
        assertThat(drops).isEmpty();
        assertThat(fixture.pipeline.queued()).isZero();
        assertThat(maxQueued.get()).as("queue peak").isLessThanOrEqualTo(fixture.pipeline.capacity())
                // the flood did fill it, or this proved nothing
                .isGreaterThanOrEqualTo(fixture.pipeline.capacity() / 2);
        assertThat(ackedNotStored).as("acknowledged while not stored").isEmpty();
        for (Flooder f : flooders) {
            assertThat(f.sent.get()).as(f.chargerId + " sent").isEqualTo(MESSAGES);
            assertThat(storedSeconds(f.chargerId)).as(f.chargerId + " stored, in order")
                    .isEqualTo(IntStream.range(0, MESSAGES).boxed().toList());
        }

        fixture.store.stored.clear(); // the test store's records are not the gateway's memory
        long after = heapAfterGc();
        LOG.info("overload: heap after GC {} MiB before, {} MiB after", baseline >> 20, after >> 20);
        assertThat(after).as("heap after the flood").isLessThan(baseline + HEAP_GROWTH_BOUND);
    }

    /** Messages acknowledged to their client that the store does not hold (acknowledged first, looked up after). */
    private List<String> ackedButNotStored() {
        List<String> acked = new ArrayList<>();
        for (Flooder f : flooders) {
            for (Integer second : List.copyOf(f.acked)) {
                acked.add(f.chargerId + "@" + second);
            }
        }
        Set<String> stored = new HashSet<>();
        for (TelemetryRecord r : fixture.store.stored) {
            stored.add(r.chargerId() + "@" + Duration.between(GatewayFixture.EPOCH, r.timestamp()).toSeconds());
        }
        return acked.stream().filter(k -> !stored.contains(k)).toList();
    }

    private List<Integer> storedSeconds(String chargerId) {
        return fixture.store.storedFor(chargerId).stream()
                .map(r -> (int) Duration.between(GatewayFixture.EPOCH, r.timestamp()).toSeconds())
                .toList();
    }

    private static long heapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** One Paho 3.1.1 client that publishes {@link #MESSAGES} as fast as its window of unacknowledged ones lets it. */
    private final class Flooder implements MqttCallback {
        final String chargerId;
        final MqttAsyncClient client;
        final Semaphore window = new Semaphore(WINDOW);
        final AtomicInteger sent = new AtomicInteger();
        final Set<Integer> acked = ConcurrentHashMap.newKeySet();
        final AtomicBoolean lost = new AtomicBoolean();

        Flooder(String chargerId) throws MqttException {
            this.chargerId = chargerId;
            IssuedCertificate cert = fixture.charger(chargerId);
            MqttConnectOptions options = fixture.pahoOptions(cert);
            options.setMaxInflight(WINDOW);
            client = new MqttAsyncClient("ssl://127.0.0.1:" + fixture.port(), chargerId, new MemoryPersistence());
            client.setCallback(this);
            client.connect(options).waitForCompletion(10_000);
        }

        void flood() {
            String topic = "telemetry/" + chargerId;
            try {
                for (int second = 0; second < MESSAGES && !lost.get(); ) {
                    if (window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        client.publish(topic, GatewayFixture.payload(chargerId, second), 1, false, second, null);
                        sent.incrementAndGet();
                        second++;
                    }
                }
            } catch (MqttException e) {
                LOG.warn("{} could not publish: {}", chargerId, e.toString());
                lost.set(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void connectionLost(Throwable cause) {
            LOG.warn("{} connection lost: {}", chargerId, cause.toString());
            lost.set(true);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {}

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            acked.add((Integer) token.getUserContext());
            window.release();
        }

        void close() throws MqttException {
            if (client.isConnected()) {
                client.disconnectForcibly(0, 1_000, false);
            }
            client.close();
        }
    }
}
