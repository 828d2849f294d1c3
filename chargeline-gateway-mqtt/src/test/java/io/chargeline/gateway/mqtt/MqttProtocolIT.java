package io.chargeline.gateway.mqtt;

import static io.chargeline.gateway.mqtt.GatewayFixture.payload;
import static io.chargeline.gateway.mqtt.RealMqttClients.WAIT_MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.chargeline.core.command.Command;
import io.chargeline.core.device.GatewayMetrics;
import io.chargeline.core.device.IssuedCertificate;
import io.chargeline.core.presence.PresenceListener;
import io.chargeline.core.telemetry.DeadLetter;
import io.chargeline.core.telemetry.PipelineSettings;
import io.chargeline.core.telemetry.RejectReason;
import io.chargeline.core.timing.TimeOrderedIds;
import io.chargeline.gateway.mqtt.RealMqttClients.ConnectRefused;
import io.chargeline.gateway.mqtt.RealMqttClients.Connection;
import io.chargeline.gateway.mqtt.RealMqttClients.Library;
import io.chargeline.gateway.mqtt.RealMqttClients.Options;
import io.chargeline.gateway.mqtt.RealMqttClients.Paho5.WirePublish;
import io.chargeline.gateway.mqtt.RealMqttClients.Publish;
import io.chargeline.gateway.mqtt.RealMqttClients.Received;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gateway's MQTT protocol as clients no one here wrote see it: the HiveMQ MQTT 5 client, Paho for MQTT 3.1.1 and
 * Paho for MQTT 5, over real mutual TLS. QoS flows and acknowledgement after commit, persistent sessions, takeover,
 * wills, keep-alive, flow control and topic aliases.
 */
class MqttProtocolIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final TimeOrderedIds COMMAND_IDS = new TimeOrderedIds();

    @TempDir
    Path dir;

    private GatewayFixture fixture;
    private final List<Connection> connections = new ArrayList<>();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final RecordingPresence presence = new RecordingPresence();

    @BeforeEach
    void create() {
        fixture = new GatewayFixture(dir);
        fixture.metrics = metrics;
        fixture.presence = presence;
    }

    @AfterEach
    void stop() {
        connections.forEach(Connection::close);
        fixture.close();
    }

    private Connection connect(Library library, String chargerId, IssuedCertificate cert, Options options)
            throws Exception {
        Connection c = library.connect(fixture, chargerId, cert, options);
        connections.add(c);
        return c;
    }

    private Connection connect(Library library, String chargerId, IssuedCertificate cert) throws Exception {
        return connect(library, chargerId, cert, Options.CLEAN);
    }

    /** The stored records of {@code chargerId}, as the seconds after {@link GatewayFixture#EPOCH} of their payloads. */
    private List<Long> storedSeconds(String chargerId) {
        return fixture.store.storedFor(chargerId).stream()
                .map(r -> Duration.between(GatewayFixture.EPOCH, r.timestamp()).toSeconds())
                .toList();
    }

    /**
     * Publishes a last message at QoS 1 and waits for its PUBACK: the ingest writer commits in order, so whatever
     * the connection sent before (a duplicate included) is stored by then.
     */
    private List<Long> storedAfterBarrier(Connection c, String chargerId, int barrierSecond) throws Exception {
        c.publish("telemetry/" + chargerId, payload(chargerId, barrierSecond), 1).await();
        return storedSeconds(chargerId);
    }

    private static Command command(String chargerId) {
        Instant now = Instant.now();
        return Command.queued(COMMAND_IDS.next(now), chargerId, "reboot", "{\"delaySeconds\":5}", now,
                now.plus(Duration.ofHours(1)));
    }

    private boolean send(Command c) throws Exception {
        return fixture.gateway.commandChannel().send(c).get(WAIT_MS, TimeUnit.MILLISECONDS);
    }

    private static void assertIsCommand(Received received, Command c) {
        assertThat(received).as("the command did not arrive").isNotNull();
        assertThat(received.topic()).isEqualTo("commands/" + c.chargerId() + "/" + c.id());
        assertThat(new String(received.payload(), StandardCharsets.UTF_8))
                .contains("\"commandId\":\"" + c.id() + "\"", "\"name\":\"reboot\"");
    }

    static Stream<Arguments> everyLibraryAndQos() {
        return Stream.of(Library.values()).flatMap(l -> Stream.of(0, 1, 2).map(q -> Arguments.of(l, q)));
    }

    static Stream<Arguments> everyLibraryAtQos1And2() {
        return Stream.of(Library.values()).flatMap(l -> Stream.of(1, 2).map(q -> Arguments.of(l, q)));
    }

    @Nested
    class QualityOfService {
        @ParameterizedTest(name = "{0} QoS {1}")
        @MethodSource("io.chargeline.gateway.mqtt.MqttProtocolIT#everyLibraryAndQos")
        void publish_isStoredOnce(Library library, int qos) throws Exception {
            fixture.start();
            Connection c = connect(library, "CH-1", fixture.charger("CH-1"));

            c.publish("telemetry/CH-1", payload("CH-1", 1), qos).await();

            assertThat(storedAfterBarrier(c, "CH-1", 2)).containsExactly(1L, 2L);
            assertThat(fixture.store.deadLetters).isEmpty();
        }

        @ParameterizedTest(name = "{0} QoS {1}")
        @MethodSource("io.chargeline.gateway.mqtt.MqttProtocolIT#everyLibraryAtQos1And2")
        void heldStore_withholdsTheAcknowledgement_untilTheCommit(Library library, int qos) throws Exception {
            fixture.store.holdCommits();
            fixture.start();
            Connection c = connect(library, "CH-1", fixture.charger("CH-1"));

            Publish publish = c.publish("telemetry/CH-1", payload("CH-1", 1), qos);
            assertThat(fixture.store.commitStarted.await(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
            // SUBACKs follow whatever the gateway answered before: the first one any PUBREC, the second one the
            // PUBCOMP for the PUBREL the client sends at once on a PUBREC
            c.subscribe("commands/CH-1/#");
            c.subscribe("commands/CH-1/#");

            assertThat(publish.isAcknowledged()).as("acknowledged before the commit").isFalse();
            assertThat(fixture.store.stored).isEmpty();
            fixture.store.release();
            publish.await();
            assertThat(storedSeconds("CH-1")).containsExactly(1L);
        }
    }

    @Nested
    class PersistentSessions {
        @ParameterizedTest
        @EnumSource(Library.class)
        void persistentSession_keepsTheCommandSubscription_acrossAReconnect(Library library) throws Exception {
            fixture.start();
            IssuedCertificate cert = fixture.charger("CH-1");
            Connection first = connect(library, "CH-1", cert, Options.PERSISTENT);
            assertThat(first.sessionPresent()).isFalse();
            first.subscribe("commands/CH-1/#");
            first.close();
            await().atMost(WAIT).until(() -> fixture.gateway.connectedDevices() == 0);

            Connection second = connect(library, "CH-1", cert, Options.PERSISTENT);
            Command reboot = command("CH-1");

            assertThat(second.sessionPresent()).isTrue();
            assertThat(send(reboot)).as("the kept subscription routes the command").isTrue();
            assertIsCommand(second.received().poll(WAIT_MS, TimeUnit.MILLISECONDS), reboot);
        }

        @ParameterizedTest
        @EnumSource(Library.class)
        void cleanStart_dropsTheKeptSession(Library library) throws Exception {
            fixture.start();
            IssuedCertificate cert = fixture.charger("CH-1");
            Connection first = connect(library, "CH-1", cert, Options.PERSISTENT);
            first.subscribe("commands/CH-1/#");
            first.close();
            await().atMost(WAIT).until(() -> fixture.gateway.connectedDevices() == 0);

            Connection second = connect(library, "CH-1", cert, Options.CLEAN);

            assertThat(second.sessionPresent()).isFalse();
            assertThat(send(command("CH-1"))).as("no subscription left to route a command").isFalse();
            assertThat(fixture.gateway.keptSessions()).isZero();
        }
    }

    @Nested
    class Takeover {
        @ParameterizedTest
        @EnumSource(Library.class)
        void sameClientId_closesTheFirstConnection_andTheSecondWorks(Library library) throws Exception {
            fixture.start();
            IssuedCertificate cert = fixture.charger("CH-1");
            Connection first = connect(library, "CH-1", cert);

            Connection second = connect(library, "CH-1", cert);

            int reason = first.lost().get(WAIT_MS, TimeUnit.MILLISECONDS);
            assertThat(reason).isEqualTo(library.mqtt5 ? 0x8E : -1); // MQTT 5: SESSION_TAKEN_OVER
            // the HiveMQ client tells of the loss before its state says so
            await().atMost(WAIT).until(() -> !first.connected());
            second.subscribe("commands/CH-1/#");
            Command reboot = command("CH-1");
            assertThat(send(reboot)).isTrue();
            assertIsCommand(second.received().poll(WAIT_MS, TimeUnit.MILLISECONDS), reboot);
            assertThat(storedAfterBarrier(second, "CH-1", 1)).containsExactly(1L);
            assertThat(second.connected()).isTrue();
            assertThat(fixture.gateway.connectedDevices()).isEqualTo(1);
        }
    }

    @Nested
    class Wills {
        @ParameterizedTest
        @EnumSource(value = Library.class, names = {"PAHO_MQTT311", "PAHO_MQTT5"})
        void abnormalEnd_ingestsTheWill(Library library) throws Exception {
            fixture.start();
            Connection c = connect(library, "CH-1", fixture.charger("CH-1"),
                    Options.withWill("telemetry/CH-1", payload("CH-1", 7)));

            c.killSocket();

            await().atMost(WAIT).until(() -> storedSeconds("CH-1").contains(7L));
            await().atMost(WAIT).until(() -> presence.endOf("CH-1") != null);
            assertThat(presence.endOf("CH-1")).isEqualTo(PresenceListener.DisconnectReason.CONNECTION_LOST);
        }

        @ParameterizedTest
        @EnumSource(Library.class)
        void cleanDisconnect_discardsTheWill(Library library) throws Exception {
            fixture.start();
            IssuedCertificate cert = fixture.charger("CH-1");
            Connection c = connect(library, "CH-1", cert, Options.withWill("telemetry/CH-1", payload("CH-1", 7)));

            c.close();

            // the gateway ingests a will before it reports the disconnect
            await().atMost(WAIT).until(() -> presence.endOf("CH-1") != null);
            assertThat(presence.endOf("CH-1")).isEqualTo(PresenceListener.DisconnectReason.CLIENT_DISCONNECT);
            Connection again = connect(library, "CH-1", cert);
            assertThat(storedAfterBarrier(again, "CH-1", 8)).containsExactly(8L);
        }

        @Test
        void mqtt5DisconnectWithWillMessage_ingestsTheWill() throws Exception {
            fixture.start();
            Mqtt5AsyncClient client = Mqtt5Client.builder().identifier("CH-1").serverHost("127.0.0.1")
                    .serverPort(fixture.port()).sslConfig(fixture.hivemqTls(fixture.charger("CH-1"))).buildAsync();
            client.connectWith().willPublish().topic("telemetry/CH-1").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(payload("CH-1", 7)).applyWillPublish().send().get(WAIT_MS, TimeUnit.MILLISECONDS);

            client.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send()
                    .get(WAIT_MS, TimeUnit.MILLISECONDS);

            await().atMost(WAIT).until(() -> storedSeconds("CH-1").contains(7L));
        }

        @ParameterizedTest
        @EnumSource(Library.class)
        void willOnAnotherTopic_isRefusedAtConnect(Library library) throws Exception {
            fixture.start();
            fixture.charger("CH-2");
            IssuedCertificate cert = fixture.charger("CH-1");

            assertThatThrownBy(() -> connect(library, "CH-1", cert,
                    Options.withWill("telemetry/CH-2", payload("CH-2", 7))))
                    .isInstanceOfSatisfying(ConnectRefused.class,
                            e -> assertThat(e.code).isEqualTo(library.notAuthorized()));
            assertThat(fixture.gateway.connectedDevices()).isZero();
            assertThat(fixture.store.stored).isEmpty();
        }

        @ParameterizedTest
        @EnumSource(value = Library.class, names = {"PAHO_MQTT311", "PAHO_MQTT5"})
        void invalidWillPayload_becomesADeadLetter(Library library) throws Exception {
            fixture.start();
            Connection c = connect(library, "CH-1", fixture.charger("CH-1"),
                    Options.withWill("telemetry/CH-1", "{\"chargerId\":".getBytes(StandardCharsets.UTF_8)));

            c.killSocket();

            await().atMost(WAIT).until(() -> !fixture.store.deadLetters.isEmpty());
            DeadLetter letter = fixture.store.deadLetters.peek();
            assertThat(letter.clientId()).isEqualTo("CH-1");
            assertThat(letter.topic()).isEqualTo("telemetry/CH-1");
            assertThat(letter.reason()).isEqualTo(RejectReason.MalformedJson);
            assertThat(fixture.store.stored).isEmpty();
        }
    }

    @Nested
    class KeepAlive {
        @Test
        void silentMqtt311Client_isClosed_afterOneAndAHalfKeepAlives() throws Exception {
            fixture.start();
            try (SSLSocket socket = fixture.rawTls(fixture.charger("CH-1"))) {
                long start = System.nanoTime();
                RawMqtt.send(socket, RawMqtt.connect("CH-1", 4, 1));
                assertThat(RawMqtt.read(socket)).isEqualTo(new RawMqtt.Packet(0x20, new byte[] {0, 0}));

                RawMqtt.Packet next = RawMqtt.read(socket); // and send nothing more

                assertThat(next).as("a packet instead of the close").isNull();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1_400));
                assertThat(metrics.drops).contains(GatewayMetrics.DropReason.KEEP_ALIVE_TIMEOUT);
                await().atMost(WAIT).until(() -> presence.endOf("CH-1") != null);
                assertThat(presence.endOf("CH-1")).isEqualTo(PresenceListener.DisconnectReason.KEEP_ALIVE_TIMEOUT);
            }
        }

        @Test
        void silentMqtt5Client_getsDisconnectKeepAliveTimeout() throws Exception {
            fixture.start();
            try (SSLSocket socket = fixture.rawTls(fixture.charger("CH-1"))) {
                long start = System.nanoTime();
                RawMqtt.send(socket, RawMqtt.connect("CH-1", 5, 1));
                RawMqtt.Packet connAck = RawMqtt.read(socket);
                assertThat(connAck.type()).isEqualTo(0x20);
                assertThat(connAck.body()[1]).as("CONNACK reason").isZero();

                RawMqtt.Packet disconnect = RawMqtt.read(socket);

                assertThat(disconnect).isNotNull();
                assertThat(disconnect.type()).isEqualTo(0xE0);
                assertThat(disconnect.body()[0] & 0xFF).as("DISCONNECT reason").isEqualTo(0x8D);
                assertThat(RawMqtt.read(socket)).isNull();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1_400));
            }
        }

        /** A keep-alive of 0 (none) or above the 20-minute maximum gets the maximum as Server Keep Alive. */
        @ParameterizedTest(name = "asked {0} s, granted {1}")
        @CsvSource({"0, 1200", "1201, 1200", "65535, 1200", "60, ", "1200, "})
        void mqtt5ServerKeepAlive_capsTheKeepAlive(int asked, Integer granted) throws Exception {
            fixture.start();
            Mqtt5AsyncClient client = Mqtt5Client.builder().identifier("CH-1").serverHost("127.0.0.1")
                    .serverPort(fixture.port()).sslConfig(fixture.hivemqTls(fixture.charger("CH-1"))).buildAsync();

            Mqtt5ConnAck connAck = client.connectWith().keepAlive(asked).send().get(WAIT_MS, TimeUnit.MILLISECONDS);

            try {
                assertThat(connAck.getServerKeepAlive())
                        .isEqualTo(granted == null ? OptionalInt.empty() : OptionalInt.of(granted));
            } finally {
                client.disconnect().get(WAIT_MS, TimeUnit.MILLISECONDS);
            }
        }
    }

    @Nested
    class FlowControl {
        @Test
        void mqtt5ConnAck_advertisesReceiveMaximumAndTopicAliasMaximum() throws Exception {
            fixture.start();
            Mqtt5AsyncClient client = Mqtt5Client.builder().identifier("CH-1").serverHost("127.0.0.1")
                    .serverPort(fixture.port()).sslConfig(fixture.hivemqTls(fixture.charger("CH-1"))).buildAsync();

            Mqtt5ConnAck connAck = client.connect().get(WAIT_MS, TimeUnit.MILLISECONDS);

            try {
                assertThat(connAck.getRestrictions().getReceiveMaximum()).isEqualTo(64);
                assertThat(connAck.getRestrictions().getTopicAliasMaximum()).isEqualTo(16);
                assertThat(connAck.getRestrictions().isRetainAvailable()).isFalse();
            } finally {
                client.disconnect().get(WAIT_MS, TimeUnit.MILLISECONDS);
            }
        }

        @Test
        void hiveMq_keepsAtMostTheReceiveMaximumInFlight_whileTheStoreIsHeld() throws Exception {
            fixture.store.holdCommits();
            fixture.start(new PipelineSettings(20_000, 64L * 1024 * 1024, 1)); // one message per commit
            Connection c = connect(Library.HIVEMQ_MQTT5, "CH-1", fixture.charger("CH-1"));
            List<Publish> publishes = new ArrayList<>();

            for (int i = 0; i < 100; i++) {
                publishes.add(c.publish("telemetry/CH-1", payload("CH-1", i), 1));
            }

            // one message in the held commit and 63 queued behind it: 64 unacknowledged at the gateway
            await().atMost(WAIT).until(() -> fixture.pipeline.queued() == 63);
            c.subscribe("commands/CH-1/#"); // a round trip: the client sent no 65th publish before it
            assertThat(fixture.pipeline.queued()).isEqualTo(63);
            assertThat(publishes).noneMatch(Publish::isAcknowledged);
            assertThat(c.connected()).isTrue();
            fixture.store.release();
            for (Publish p : publishes) {
                p.await();
            }
            assertThat(storedSeconds("CH-1")).hasSize(100).doesNotHaveDuplicates();
            assertThat(metrics.drops).isEmpty();
            assertThat(c.connected()).isTrue();
        }
    }

    @Nested
    class TopicAliases {
        @Test
        void pahoMqtt5_publishesWithTopicAliases_eachStoredUnderItsCharger() throws Exception {
            fixture.start();
            Connection one = connect(Library.PAHO_MQTT5, "CH-1", fixture.charger("CH-1"));
            Connection two = connect(Library.PAHO_MQTT5, "CH-2", fixture.charger("CH-2"));

            for (int i = 0; i < 4; i++) {
                one.publish("telemetry/CH-1", payload("CH-1", i), 1).await();
                two.publish("telemetry/CH-2", payload("CH-2", 10 + i), 1).await();
            }

            for (Connection c : List.of(one, two)) {
                List<WirePublish> sent = ((RealMqttClients.Paho5) c).sent;
                assertThat(sent).hasSize(4);
                assertThat(sent.get(0).topicAlias()).as("the first publish sets alias 1").isEqualTo(1);
                assertThat(sent.get(0).topic()).isNotNull();
                assertThat(sent.subList(1, 4)).as("the rest carry only the alias")
                        .allSatisfy(p -> assertThat(p).isEqualTo(new WirePublish(null, 1)));
            }
            assertThat(storedSeconds("CH-1")).containsExactly(0L, 1L, 2L, 3L);
            assertThat(storedSeconds("CH-2")).containsExactly(10L, 11L, 12L, 13L);
            assertThat(fixture.store.deadLetters).isEmpty();
        }
    }

    /** MQTT packets written by hand, for a client that goes silent after CONNECT. */
    private static final class RawMqtt {
        record Packet(int type, byte[] body) {
            @Override
            public boolean equals(Object o) {
                return o instanceof Packet p && p.type == type && java.util.Arrays.equals(p.body, body);
            }

            @Override
            public int hashCode() {
                return type * 31 + java.util.Arrays.hashCode(body);
            }

            @Override
            public String toString() {
                return "Packet[0x" + Integer.toHexString(type) + ", " + java.util.Arrays.toString(body) + "]";
            }
        }

        /** CONNECT, clean session, no will, no properties (MQTT 5). */
        static byte[] connect(String clientId, int protocolLevel, int keepAliveSeconds) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            string(body, "MQTT");
            body.write(protocolLevel);
            body.write(0x02);
            body.write(keepAliveSeconds >> 8);
            body.write(keepAliveSeconds & 0xFF);
            if (protocolLevel == 5) {
                body.write(0);
            }
            string(body, clientId);
            ByteArrayOutputStream packet = new ByteArrayOutputStream();
            packet.write(0x10);
            int length = body.size();
            do {
                int digit = length % 128;
                length /= 128;
                packet.write(length > 0 ? digit | 0x80 : digit);
            } while (length > 0);
            packet.writeBytes(body.toByteArray());
            return packet.toByteArray();
        }

        private static void string(ByteArrayOutputStream out, String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            out.write(bytes.length >> 8);
            out.write(bytes.length & 0xFF);
            out.writeBytes(bytes);
        }

        static void send(SSLSocket socket, byte[] packet) throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write(packet);
            out.flush();
        }

        /** The next packet, or null when the server closed the connection; fails after the socket's read timeout. */
        static Packet read(SSLSocket socket) throws IOException {
            InputStream in = socket.getInputStream();
            try {
                int type = in.read();
                if (type < 0) {
                    return null;
                }
                int length = 0;
                int multiplier = 1;
                int digit;
                do {
                    digit = in.read();
                    if (digit < 0) {
                        return null;
                    }
                    length += (digit & 0x7F) * multiplier;
                    multiplier *= 128;
                } while ((digit & 0x80) != 0);
                byte[] body = in.readNBytes(length);
                return body.length == length ? new Packet(type, body) : null;
            } catch (SocketTimeoutException e) {
                return fail("the gateway neither sent a packet nor closed within " + socket.getSoTimeout() + " ms");
            } catch (SSLException | java.net.SocketException e) {
                return null; // closed without close_notify, or reset
            }
        }
    }

    private static final class RecordingMetrics implements GatewayMetrics {
        final Queue<DropReason> drops = new ConcurrentLinkedQueue<>();

        @Override
        public void connectionDropped(DropReason reason) {
            drops.add(reason);
        }
    }

    /** How each charger's last connection ended, as the gateway reported it. */
    private static final class RecordingPresence implements PresenceListener {
        private final java.util.Map<String, DisconnectReason> ends = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void connected(String chargerId, Instant at) {
            ends.remove(chargerId);
        }

        @Override
        public void disconnected(String chargerId, Instant at, DisconnectReason reason) {
            ends.put(chargerId, reason);
        }

        DisconnectReason endOf(String chargerId) {
            return ends.get(chargerId);
        }
    }
}
