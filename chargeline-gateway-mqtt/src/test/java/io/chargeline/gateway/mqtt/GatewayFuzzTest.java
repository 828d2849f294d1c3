package io.chargeline.gateway.mqtt;

import static io.chargeline.gateway.mqtt.RawMqtt.concat;
import static io.chargeline.gateway.mqtt.RawMqtt.packet;
import static io.chargeline.gateway.mqtt.RawMqtt.props;
import static io.chargeline.gateway.mqtt.RawMqtt.string;
import static io.chargeline.gateway.mqtt.RawMqtt.u16;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.chargeline.core.device.IssuedCertificate;
import io.chargeline.core.telemetry.TelemetryRecord;
import io.chargeline.gateway.mqtt.RawMqtt.Version;
import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.net.ssl.SSLSocket;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A seeded fuzzer against the real gateway over mutual TLS. Fuzz connections (MQTT 3.1.1 and 5) each send a valid
 * CONNECT and then valid packets mutated at random (bit flips, inserted and deleted bytes, random Remaining Lengths,
 * cuts, random packet types and flags, runs of random bytes), reconnecting whenever the server closes; meanwhile
 * three good chargers (HiveMQ MQTT 5 and Paho 3.1.1) publish QoS 1, one message in flight each. Afterwards the
 * gateway still serves a new charger, every acknowledged message of the good chargers is stored, they made progress
 * throughout and none was disconnected, nothing was logged at WARN or above, Netty found no leaked buffer, and the
 * heap after a GC is back near its baseline.
 *
 * <p>Each fuzz session's bytes come from {@code Random(seed, fuzzer, session)}, so a failure is reproduced with its
 * seed (printed in the failure message); how far each session gets before the server closes it depends on timing.
 * CI runs it for about 15 s with a fixed seed. To run it longer, or with another seed:
 *
 * <pre>
 * ./mvnw -B -o verify -pl chargeline-gateway-mqtt -Dtest=GatewayFuzzTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dfuzz.seconds=600 -Dfuzz.seed=$RANDOM
 * </pre>
 */
class GatewayFuzzTest {
    private static final long SEED = Long.getLong("fuzz.seed", 20_260_210L);
    private static final Duration DURATION = Duration.ofSeconds(Long.getLong("fuzz.seconds", 15));
    private static final int GOOD_ACKS_PER_CHARGER = 20;
    /** The heap may grow this much over its baseline (caches warming up), not more; 150 s runs stayed within 1 MiB. */
    private static final long HEAP_SLACK = 32L * 1024 * 1024;
    /** A fuzz connection whose write stays blocked this long is one the server neither reads nor closes. */
    private static final Duration STALL = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private GatewayFixture fixture;
    /** Stops the fuzzers early (they stop on their own at {@link #fuzzUntil}); good chargers stop one by one. */
    private final AtomicBoolean stopFuzzing = new AtomicBoolean();
    private volatile long fuzzUntil;
    private final List<GoodCharger> good = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
    private ResourceLeakDetector.Level leakLevel;

    @AfterEach
    void tearDown() throws InterruptedException {
        stopFuzzing.set(true);
        good.forEach(g -> g.done.set(true));
        watchdog.shutdownNow();
        for (Thread t : threads) {
            t.join(30_000);
        }
        if (leakLevel != null) {
            ResourceLeakDetector.setLevel(leakLevel);
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void mutatedPackets_neitherStopTheGateway_norHurtGoodChargers() throws Exception {
        leakLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        fixture = new GatewayFixture(dir);
        fixture.start();
        String seedNote = "fuzz seed " + SEED + " (rerun with -Dfuzz.seed=" + SEED + ")";

        good.addAll(List.of(new HiveMqCharger("GOOD-1"), new HiveMqCharger("GOOD-2"), new PahoCharger("GOOD-3")));
        for (GoodCharger g : good) {
            start("good " + g.id, g::run);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> good.stream().allMatch(g -> g.acked.get() >= 5));
        long baseline = heapAfterGc();

        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger gatewayLog = (Logger) LoggerFactory.getLogger("io.chargeline.gateway");
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        root.addAppender(log);
        gatewayLog.setLevel(Level.WARN); // one INFO line per refused connection would be thousands
        List<Fuzzer> fuzzers = new ArrayList<>();
        try {
            int[] before = good.stream().mapToInt(g -> g.acked.get()).toArray();
            Version[] versions = {Version.V3_1_1, Version.V5, Version.V3_1, Version.V5};
            fuzzUntil = System.nanoTime() + DURATION.toNanos();
            for (int i = 0; i < versions.length; i++) {
                Fuzzer f = new Fuzzer(i, versions[i], fixture.charger("FUZZ-" + i));
                fuzzers.add(f);
                start("fuzzer " + i, f::run);
            }
            watchdog.scheduleWithFixedDelay(() -> watch(fuzzers), 1, 1, SECONDS);
            fuzzersFinish();
            int[] during = new int[good.size()];
            for (int i = 0; i < good.size(); i++) {
                during[i] = good.get(i).acked.get() - before[i];
            }

            String stats = seedNote + "; " + fuzzers.stream().map(Fuzzer::toString).collect(Collectors.joining("; "));
            System.out.println("GatewayFuzzTest: " + stats + "; good chargers acked " + Arrays.toString(during)
                    + " during the fuzzing");
            assertThat(fuzzers).as(stats).allSatisfy(f -> {
                assertThat(f.sessions.get()).as("sessions of %s", f).isGreaterThan(5);
                assertThat(f.packets.get()).as("packets of %s", f).isGreaterThan(100);
                assertThat(f.stalls.get()).as("connections the server neither read nor closed, %s", f).isZero();
            });
            assertThat(Arrays.stream(during).min().orElseThrow())
                    .as("fewest acks of a good charger while fuzzed, of %s; %s", Arrays.toString(during), stats)
                    .isGreaterThanOrEqualTo(GOOD_ACKS_PER_CHARGER);
            assertThat(good).as(stats).allSatisfy(g -> {
                assertThat(g.disconnects.get()).as("disconnects of %s", g.id).isZero();
                assertThat(g.failures).as("failed publishes of %s", g.id).isEmpty();
            });

            stopGoodChargers();
            for (GoodCharger g : good) {
                Set<Instant> stored = fixture.store.storedFor(g.id).stream().map(TelemetryRecord::timestamp)
                        .collect(Collectors.toSet());
                List<Instant> ackedNotStored = IntStream.rangeClosed(1, g.acked.get())
                        .mapToObj(GatewayFixture.EPOCH::plusSeconds).filter(t -> !stored.contains(t)).toList();
                assertThat(ackedNotStored).as("acked but not stored for %s; %s", g.id, stats).isEmpty();
            }

            aNewChargerIsServed();
            await("every connection ended; " + stats).atMost(Duration.ofSeconds(30))
                    .until(() -> fixture.gateway.connectedDevices() == 0);
            fixture.store.stored.clear(); // what was stored is not a leak; it was checked above
            fixture.store.deadLetters.clear();
            long after = heapAfterGc();
            System.out.println("GatewayFuzzTest: heap after GC " + (baseline >> 20) + " MiB before, " + (after >> 20)
                    + " MiB after");
            aNewChargerIsServed(); // allocates, so the leak detector reports what the GC found
            assertThat(after).as("heap after GC, baseline %d MiB; %s", baseline >> 20, stats)
                    .isLessThanOrEqualTo(baseline + HEAP_SLACK);
            List<String> warnings = log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                    .map(e -> e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage()).toList();
            assertThat(warnings).as("WARN and ERROR lines (Netty reports leaked buffers here); " + stats).isEmpty();
        } finally {
            gatewayLog.setLevel(null);
            root.detachAppender(log);
        }
    }

    // ---- good chargers

    private abstract class GoodCharger {
        final String id;
        /** Messages 1 to this were acknowledged (one in flight at a time, so they are acknowledged in order). */
        final AtomicInteger acked = new AtomicInteger();
        final Queue<String> failures = new ConcurrentLinkedQueue<>();
        final AtomicInteger disconnects = new AtomicInteger();
        final AtomicBoolean done = new AtomicBoolean();

        GoodCharger(String id) {
            this.id = id;
        }

        void run() {
            try {
                connect();
                for (int seq = 1; !done.get(); seq++) {
                    publish(seq);
                    acked.set(seq);
                }
            } catch (Exception e) {
                if (!done.get()) {
                    failures.add(e.toString());
                }
            } finally {
                disconnect();
            }
        }

        abstract void connect() throws Exception;

        /** Returns once the gateway acknowledged it with success. */
        abstract void publish(int seq) throws Exception;

        abstract void disconnect();
    }

    private final class HiveMqCharger extends GoodCharger {
        private Mqtt5AsyncClient client;

        HiveMqCharger(String id) {
            super(id);
        }

        @Override
        void connect() throws Exception {
            client = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(fixture.port())
                    .sslConfig(fixture.hivemqTls(fixture.charger(id)))
                    .addDisconnectedListener(c -> {
                        if (!done.get()) {
                            disconnects.incrementAndGet();
                        }
                    })
                    .buildAsync();
            client.connect().get(30, SECONDS);
        }

        @Override
        void publish(int seq) throws Exception {
            Mqtt5PublishResult result = client.publishWith().topic("telemetry/" + id).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(GatewayFixture.payload(id, seq)).send().get(30, SECONDS);
            if (result.getError().isPresent()) {
                throw new IllegalStateException("publish " + seq + " failed", result.getError().get());
            }
            Mqtt5PubAckReasonCode code = ((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode();
            if (code != Mqtt5PubAckReasonCode.SUCCESS) {
                throw new IllegalStateException("publish " + seq + " acknowledged with " + code);
            }
        }

        @Override
        void disconnect() {
            done.set(true);
            if (client != null && client.getState().isConnected()) {
                client.disconnect().orTimeout(10, SECONDS).exceptionally(e -> null).join();
            }
        }
    }

    private final class PahoCharger extends GoodCharger {
        private MqttClient client;

        PahoCharger(String id) {
            super(id);
        }

        @Override
        void connect() throws Exception {
            client = new MqttClient("ssl://127.0.0.1:" + fixture.port(), id, new MemoryPersistence());
            client.setTimeToWait(30_000);
            MqttConnectOptions options = fixture.pahoOptions(fixture.charger(id));
            // Paho counts a publish as in flight until its callback thread has run, after the blocking publish
            // returned; on a busy machine that thread lags, and the default of 10 would fail a one-at-a-time charger
            options.setMaxInflight(1_000);
            client.connect(options);
            client.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                    if (!done.get()) {
                        disconnects.incrementAndGet();
                        failures.add("connection lost: " + cause);
                    }
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {}

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {}
            });
        }

        @Override
        void publish(int seq) throws Exception {
            client.publish("telemetry/" + id, GatewayFixture.payload(id, seq), 1, false);
        }

        @Override
        void disconnect() {
            done.set(true);
            try {
                if (client != null && client.isConnected()) {
                    client.disconnect(5_000);
                }
                if (client != null) {
                    client.close();
                }
            } catch (Exception e) {
                failures.add("disconnect: " + e);
            }
        }
    }

    private void stopGoodChargers() {
        good.forEach(g -> g.done.set(true));
        await().atMost(Duration.ofSeconds(30)).until(() -> threads.stream()
                .filter(t -> t.getName().startsWith("good ")).noneMatch(Thread::isAlive));
    }

    private void aNewChargerIsServed() throws Exception {
        String id = "FRESH-" + System.nanoTime();
        Mqtt5AsyncClient client = fixture.hivemq(id);
        try {
            Mqtt5PublishResult result = client.publishWith().topic("telemetry/" + id).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(GatewayFixture.payload(id, 1)).send().get(30, SECONDS);
            assertThat(result.getError()).isEmpty();
            assertThat(((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode())
                    .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
            assertThat(fixture.store.storedFor(id)).hasSize(1);
        } finally {
            client.disconnect().get(10, SECONDS);
        }
    }

    // ---- fuzzers

    private final class Fuzzer {
        final int index;
        final Version version;
        final IssuedCertificate cert;
        final String id;
        final AtomicLong sessions = new AtomicLong();
        final AtomicLong packets = new AtomicLong();
        final AtomicLong closedByServer = new AtomicLong();
        final AtomicLong handshakeFailures = new AtomicLong();
        final AtomicLong stalls = new AtomicLong();
        /** Nanos since a write began, 0 when not writing; the watchdog closes {@link #socket} when it is too long. */
        volatile long writingSince;
        volatile SSLSocket socket;

        Fuzzer(int index, Version version, IssuedCertificate cert) {
            this.index = index;
            this.version = version;
            this.cert = cert;
            this.id = "FUZZ-" + index;
        }

        void run() {
            for (long session = 0; fuzzing(); session++) {
                session(new Random(SEED * 1_000_003L + index * 7_919L + session * 104_729L));
            }
        }

        private void session(Random random) {
            SSLSocket s;
            try {
                s = fixture.rawTls(cert);
            } catch (Exception e) {
                handshakeFailures.incrementAndGet();
                return;
            }
            socket = s;
            sessions.incrementAndGet();
            Replies replies = new Replies();
            Thread reader = new Thread(() -> replies.drain(s), "fuzz reader " + index);
            reader.setDaemon(true);
            reader.start();
            try (s) {
                OutputStream out = s.getOutputStream();
                byte[] connect = Mutations.connect(version, id, random);
                write(out, random.nextInt(8) == 0 ? Mutations.mutate(connect, random) : connect);
                int count = 1 + random.nextInt(200);
                // some sessions go deep with few mutations, others are mostly garbage
                int mutatedPercent = new int[] {3, 15, 70}[random.nextInt(3)];
                for (int i = 0; i < count && !replies.closed && fuzzing(); i++) {
                    byte[] p = Mutations.validPacket(version, id, random);
                    if (random.nextInt(100) < mutatedPercent) {
                        // a PINGREQ after it, and a moment for the answer: the session goes on only if it survived
                        long before = replies.received();
                        write(out, concat(Mutations.mutate(p, random), RawMqtt.pingreq()));
                        replies.awaitMoreThan(before, Duration.ofMillis(100));
                    } else {
                        write(out, p);
                    }
                    packets.incrementAndGet();
                }
                if (replies.closed) {
                    closedByServer.incrementAndGet();
                }
            } catch (IOException e) {
                closedByServer.incrementAndGet();
            }
            try {
                reader.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void write(OutputStream out, byte[] bytes) throws IOException {
            writingSince = System.nanoTime();
            try {
                out.write(bytes);
                out.flush();
            } finally {
                writingSince = 0;
            }
        }

        @Override
        public String toString() {
            return id + " (" + version + "): " + sessions + " sessions (" + closedByServer + " ended by the server), "
                    + packets + " packets, " + handshakeFailures + " failed handshakes, " + stalls + " stalls";
        }
    }

    /** What the server sends on a fuzz connection: read and dropped, counted, until it closes. */
    private static final class Replies {
        volatile boolean closed;
        private long received;

        void drain(SSLSocket socket) {
            byte[] buffer = new byte[8192];
            try {
                socket.setSoTimeout(0);
                InputStream in = socket.getInputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (this) {
                        received += n;
                        notifyAll();
                    }
                }
            } catch (IOException e) {
                // closed by either side
            } finally {
                synchronized (this) {
                    closed = true;
                    notifyAll();
                }
            }
        }

        synchronized long received() {
            return received;
        }

        /** Until more than {@code before} bytes arrived, or the connection closed, or {@code limit} passed. */
        synchronized void awaitMoreThan(long before, Duration limit) {
            long end = System.nanoTime() + limit.toNanos();
            long left;
            while (received <= before && !closed && (left = end - System.nanoTime()) > 0) {
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Unblocks a fuzzer whose write the server has not taken for {@link #STALL}, and counts it. */
    private static void watch(List<Fuzzer> fuzzers) {
        long now = System.nanoTime();
        for (Fuzzer f : fuzzers) {
            long since = f.writingSince;
            SSLSocket s = f.socket;
            if (since != 0 && now - since > STALL.toNanos() && s != null) {
                f.stalls.incrementAndGet();
                try {
                    s.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }
    }

    private boolean fuzzing() {
        return !stopFuzzing.get() && System.nanoTime() - fuzzUntil < 0;
    }

    /** Waits for the fuzzers to reach {@link #fuzzUntil} and end their last session. */
    private void fuzzersFinish() throws InterruptedException {
        long limit = DURATION.plusSeconds(60).toMillis();
        for (Thread t : threads) {
            if (t.getName().startsWith("fuzzer")) {
                t.join(limit);
                assertThat(t.isAlive()).as("%s still running", t.getName()).isFalse();
            }
        }
        stopFuzzing.set(true);
    }

    private Thread start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
        return t;
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Valid packets to start from, and the mutations applied to them. */
    static final class Mutations {
        private Mutations() {}

        static byte[] connect(Version version, String id, Random random) {
            int flags = RawMqtt.CLEAN_START;
            byte[] will = new byte[0];
            if (random.nextInt(5) == 0) {
                flags |= 0x04 | random.nextInt(3) << 3;
                will = concat(
                        version.mqtt5() ? props().u32(RawMqtt.MESSAGE_EXPIRY_INTERVAL, 60).encoded() : new byte[0],
                        string("telemetry/" + id), string(GatewayFixture.payload(id, random.nextInt(100_000))));
            }
            RawMqtt.Props p = version.mqtt5() ? props() : null;
            if (p != null && random.nextBoolean()) {
                p.u32(RawMqtt.SESSION_EXPIRY_INTERVAL, random.nextInt(2) * 60).u16(RawMqtt.RECEIVE_MAXIMUM,
                        1 + random.nextInt(100)).u16(RawMqtt.TOPIC_ALIAS_MAXIMUM, random.nextInt(10));
            }
            return RawMqtt.connect(version.protocolName, version.level, flags, 30 + random.nextInt(60), p, string(id),
                    will);
        }

        static byte[] validPacket(Version version, String id, Random random) {
            String topic = "telemetry/" + id;
            int packetId = 1 + random.nextInt(65_535);
            byte[] payload = GatewayFixture.payload(id, random.nextInt(100_000));
            switch (random.nextInt(12)) {
                case 0, 1, 2:
                    return RawMqtt.publish(version, random.nextInt(3), topic, packetId, payload);
                case 3:
                    if (version.mqtt5()) {
                        RawMqtt.Props p = props().u8(RawMqtt.PAYLOAD_FORMAT_INDICATOR, 1)
                                .string(RawMqtt.CONTENT_TYPE, "application/json")
                                .u16(RawMqtt.TOPIC_ALIAS, 1 + random.nextInt(16));
                        return RawMqtt.publish(version, 1, false, topic.getBytes(StandardCharsets.UTF_8), packetId, p,
                                payload);
                    }
                    return RawMqtt.publish(version, 2, topic, packetId, payload);
                case 4:
                    return RawMqtt.pubrel(packetId);
                case 5:
                    return RawMqtt.subscribe(version, packetId, "commands/" + id + "/#", random.nextInt(3));
                case 6:
                    return RawMqtt.unsubscribe(version, packetId, "commands/" + id + "/#");
                case 7:
                    return RawMqtt.pingreq();
                case 8:
                    return packet(0x40, u16(packetId)); // PUBACK of nothing the server sent
                case 9:
                    return random.nextInt(10) == 0 ? RawMqtt.disconnect() : RawMqtt.pingreq();
                case 10:
                    return connect(version, id, random);
                default:
                    return RawMqtt.publish(version, 1, "commands/" + id + "/c1/reply", packetId,
                            "{\"status\":\"done\"}".getBytes(StandardCharsets.UTF_8));
            }
        }

        static byte[] mutate(byte[] packet, Random random) {
            byte[] p = packet;
            int rounds = 1 + (random.nextInt(4) == 0 ? random.nextInt(3) : 0);
            for (int r = 0; r < rounds; r++) {
                p = mutateOnce(p, random);
            }
            return p;
        }

        private static byte[] mutateOnce(byte[] p, Random random) {
            if (p.length == 0) {
                return randomBytes(random, 1 + random.nextInt(16));
            }
            int at = random.nextInt(p.length);
            switch (random.nextInt(9)) {
                case 0: { // bit flips
                    byte[] q = p.clone();
                    for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                        int pos = random.nextInt(q.length);
                        q[pos] ^= (byte) (1 << random.nextInt(8));
                    }
                    return q;
                }
                case 1: // insert bytes
                    return concat(Arrays.copyOf(p, at), randomBytes(random, 1 + random.nextInt(8)),
                            Arrays.copyOfRange(p, at, p.length));
                case 2: { // delete bytes
                    int end = Math.min(p.length, at + 1 + random.nextInt(8));
                    return concat(Arrays.copyOf(p, at), Arrays.copyOfRange(p, end, p.length));
                }
                case 3: // a random Remaining Length: 1 to 5 bytes, of any value
                    return concat(new byte[] {p[0]}, randomLength(random),
                            Arrays.copyOfRange(p, lengthEnd(p), p.length));
                case 4: // cut short
                    return Arrays.copyOf(p, at);
                case 5: { // another packet type and flags
                    byte[] q = p.clone();
                    q[0] = (byte) random.nextInt(256);
                    return q;
                }
                case 6: { // a run of random bytes over part of it
                    byte[] q = p.clone();
                    for (int i = at, end = Math.min(q.length, at + 1 + random.nextInt(32)); i < end; i++) {
                        q[i] = (byte) random.nextInt(256);
                    }
                    return q;
                }
                case 7: { // a boundary value in one byte
                    byte[] q = p.clone();
                    int[] values = {0x00, 0x01, 0x7F, 0x80, 0xFF, 0xC0, 0x23, 0x2B};
                    q[at] = (byte) values[random.nextInt(values.length)];
                    return q;
                }
                default: // random bytes after it
                    return concat(p, randomBytes(random, 1 + random.nextInt(64)));
            }
        }

        /** Where the Remaining Length of a well-formed packet ends. */
        private static int lengthEnd(byte[] p) {
            int i = 1;
            while (i < p.length && i < 5 && (p[i] & 0x80) != 0) {
                i++;
            }
            return Math.min(p.length, i + 1);
        }

        private static byte[] randomLength(Random random) {
            int n = 1 + random.nextInt(5);
            byte[] b = randomBytes(random, n);
            for (int i = 0; i < n - 1; i++) {
                b[i] |= (byte) 0x80;
            }
            if (random.nextBoolean()) {
                b[n - 1] &= 0x7F; // mostly a valid encoding of a wrong length
            }
            return b;
        }

        private static byte[] randomBytes(Random random, int n) {
            byte[] b = new byte[n];
            random.nextBytes(b);
            return b;
        }
    }
}
