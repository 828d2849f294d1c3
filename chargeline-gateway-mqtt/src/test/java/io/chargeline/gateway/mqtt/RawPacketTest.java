package io.chargeline.gateway.mqtt;

import static io.chargeline.gateway.mqtt.RawMqtt.CLEAN_START;
import static io.chargeline.gateway.mqtt.RawMqtt.CONNACK;
import static io.chargeline.gateway.mqtt.RawMqtt.PINGRESP;
import static io.chargeline.gateway.mqtt.RawMqtt.PUBACK;
import static io.chargeline.gateway.mqtt.RawMqtt.PUBCOMP;
import static io.chargeline.gateway.mqtt.RawMqtt.PUBREC;
import static io.chargeline.gateway.mqtt.RawMqtt.SUBACK;
import static io.chargeline.gateway.mqtt.RawMqtt.concat;
import static io.chargeline.gateway.mqtt.RawMqtt.packet;
import static io.chargeline.gateway.mqtt.RawMqtt.props;
import static io.chargeline.gateway.mqtt.RawMqtt.string;
import static io.chargeline.gateway.mqtt.RawMqtt.u16;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.chargeline.core.device.IssuedCertificate;
import io.chargeline.core.telemetry.DeadLetter;
import io.chargeline.core.telemetry.RejectReason;
import io.chargeline.gateway.mqtt.RawMqtt.Client;
import io.chargeline.gateway.mqtt.RawMqtt.Packet;
import io.chargeline.gateway.mqtt.RawMqtt.Props;
import io.chargeline.gateway.mqtt.RawMqtt.Version;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * Hand-built MQTT bytes over real mutual TLS against the real gateway: each malformed or forbidden packet is
 * answered as the OASIS specs say (MQTT 3.1.1, and MQTT 5.0 where a reason code goes with it), and after every case
 * a well-behaved charger still publishes and is acknowledged. Section numbers are MQTT 5.0's unless said otherwise.
 */
class RawPacketTest {
    // MQTT 5 reason codes (2.4), written out here so the codec under test is not its own oracle
    private static final int MALFORMED_PACKET = 0x81;
    private static final int PROTOCOL_ERROR = 0x82;
    private static final int BAD_AUTHENTICATION_METHOD = 0x8C;
    private static final int KEEP_ALIVE_TIMEOUT = 0x8D;
    private static final int PACKET_IDENTIFIER_NOT_FOUND = 0x92;
    private static final int RECEIVE_MAXIMUM_EXCEEDED = 0x93;
    private static final int TOPIC_ALIAS_INVALID = 0x94;
    private static final int PACKET_TOO_LARGE = 0x95;
    private static final int PAYLOAD_FORMAT_INVALID = 0x99;
    private static final int RETAIN_NOT_SUPPORTED = 0x9A;
    /** MQTT 3.1.1 CONNACK return code 0x01 (3.2.2.3). */
    private static final int UNACCEPTABLE_PROTOCOL_VERSION = 0x01;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** MQTT 3.1 differs from 3.1.1 only in its CONNECT; the long lists of cases run with 3.1.1 and 5. */
    private static final List<Version> THREE_AND_FIVE = List.of(Version.V3_1_1, Version.V5);

    @TempDir
    static Path dir;

    private static GatewayFixture fixture;
    private static final AtomicInteger chargerCount = new AtomicInteger();

    @BeforeAll
    static void start() {
        fixture = new GatewayFixture(dir);
        MqttGatewaySettings.Limits d = MqttGatewaySettings.Limits.DEFAULTS;
        fixture.limits = new MqttGatewaySettings.Limits(d.maxPacketBytes(), d.receiveMaximum(), d.topicAliasMaximum(),
                d.maxKeepAlive(), CONNECT_TIMEOUT, d.maxSessionExpiry());
        fixture.start();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    /** Whatever a case did to its own connection, the next charger is served. */
    @AfterEach
    void aWellBehavedChargerIsStillServed() throws Exception {
        fixture.store.release();
        String id = nextChargerId();
        Mqtt5AsyncClient good = fixture.hivemq(id);
        try {
            Mqtt5PublishResult result = good.publishWith().topic("telemetry/" + id).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(GatewayFixture.payload(id, 0)).send().get(30, SECONDS);
            assertThat(result.getError()).isEmpty();
            assertThat(((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode())
                    .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
            assertThat(fixture.store.storedFor(id)).hasSize(1);
        } finally {
            good.disconnect().get(10, SECONDS);
        }
    }

    // ---- the builder itself: well-formed packets get their answers, so a refusal below is for the one flaw

    @ParameterizedTest
    @EnumSource(Version.class)
    void wellFormedPackets_areAnswered(Version version) throws Exception {
        try (Client c = connected(version)) {
            c.send(RawMqtt.pingreq());
            assertThat(c.read().type()).isEqualTo(PINGRESP);

            c.send(telemetry(c, 1, 1, 1));
            Packet puback = c.read(PUBACK);
            assertThat(puback.packetId()).isEqualTo(1);
            assertThat(puback.replyCode()).isZero();

            c.send(RawMqtt.subscribe(version, 2, "commands/" + c.clientId + "/#", 1));
            Packet suback = c.read(SUBACK);
            assertThat(suback.packetId()).isEqualTo(2);
            assertThat(suback.body()[suback.body().length - 1]).as("granted QoS").isEqualTo((byte) 1);

            c.send(RawMqtt.unsubscribe(version, 3, "commands/" + c.clientId + "/#"));
            assertThat(c.read(RawMqtt.UNSUBACK).packetId()).isEqualTo(3);

            c.send(telemetry(c, 0, 0, 2), RawMqtt.disconnect());
            assertThat(c.readUntilClosed()).isEmpty();
            await().atMost(Duration.ofSeconds(10)).until(() -> fixture.store.storedFor(c.clientId).size() == 2);
        }
    }

    @Test
    void mqtt5Connect_withProperties_getsTheLimitsInItsConnack() throws Exception {
        Props asked = props().u32(RawMqtt.SESSION_EXPIRY_INTERVAL, 0).u16(RawMqtt.RECEIVE_MAXIMUM, 10)
                .u32(RawMqtt.MAXIMUM_PACKET_SIZE, 1 << 20).u16(RawMqtt.TOPIC_ALIAS_MAXIMUM, 0)
                .pair(RawMqtt.USER_PROPERTY, "firmware", "1.2.3");
        try (Client c = open(Version.V5)) {
            c.send(RawMqtt.connect(Version.V5, c.clientId, 30, asked));
            Packet connack = c.read(CONNACK);
            assertThat(connack.connectCode()).isZero();
            assertThat(connack.connackProperties())
                    .containsEntry(RawMqtt.RECEIVE_MAXIMUM, (long) MqttGatewaySettings.Limits.DEFAULTS.receiveMaximum())
                    .containsEntry(RawMqtt.TOPIC_ALIAS_MAXIMUM,
                            (long) MqttGatewaySettings.Limits.DEFAULTS.topicAliasMaximum())
                    .containsEntry(RawMqtt.MAXIMUM_PACKET_SIZE,
                            (long) MqttGatewaySettings.Limits.DEFAULTS.maxPacketBytes());
        }
    }

    // ---- before CONNECT (3.1.1 3.1.0-1 / 5 MQTT-3.1.0-1: the first packet must be a CONNECT)

    static Stream<Arguments> packetsBeforeConnect() {
        byte[] json = "{}".getBytes(StandardCharsets.UTF_8);
        return Stream.of(
                arguments("PUBLISH QoS 0", RawMqtt.publish(Version.V3_1_1, 0, "telemetry/X", 0, json)),
                arguments("PUBLISH QoS 1", RawMqtt.publish(Version.V3_1_1, 1, "telemetry/X", 1, json)),
                arguments("PINGREQ", RawMqtt.pingreq()),
                arguments("SUBSCRIBE", RawMqtt.subscribe(Version.V3_1_1, 1, "commands/X/#", 1)),
                arguments("PUBREL", RawMqtt.pubrel(1)),
                arguments("DISCONNECT", RawMqtt.disconnect()),
                arguments("packet type 0", new byte[] {0x00, 0x00}),
                arguments("packet type 15", new byte[] {(byte) 0xF0, 0x00}),
                arguments("a Remaining Length of five bytes", new byte[] {0x10, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                        (byte) 0xFF, 0x01}),
                arguments("not MQTT at all", "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packetsBeforeConnect")
    void packetBeforeConnect_closesTheConnection_withoutConnack(String what, byte[] packet) throws Exception {
        try (Client c = open(Version.V3_1_1)) {
            c.send(packet);
            assertThat(c.readUntilClosed()).as("what the server sent before closing").isEmpty();
        }
    }

    @Test
    void truncatedConnect_isClosedAtTheConnectTimeout_withoutConnack() throws Exception {
        try (Client c = open(Version.V3_1_1)) {
            byte[] connect = RawMqtt.connect(Version.V3_1_1, c.clientId);
            c.send(Arrays.copyOf(connect, connect.length - 3));
            assertThat(c.silentFor(CONNECT_TIMEOUT.dividedBy(4))).as("still open, waiting for the rest").isTrue();
            assertThat(c.readUntilClosed()).isEmpty();
        }
    }

    // ---- CONNECT

    @ParameterizedTest
    @EnumSource(Version.class)
    void secondConnect_isAProtocolError(Version version) throws Exception {
        try (Client c = connected(version)) {
            c.send(RawMqtt.connect(version, c.clientId));
            assertClosedWith(c, PROTOCOL_ERROR);
        }
    }

    /**
     * 3.1.1 3.1.2.2: an unsupported level gets CONNACK 0x01, then the connection closes. The server cannot know
     * the framing of a level it does not speak, so every client gets the 3.1.1 form (MQTT 5 3.1.2.2 allows 0x84 in
     * its own form, a MAY); a wrong protocol name is answered the same way (3.1.2.1 lets the server close or refuse).
     */
    @ParameterizedTest(name = "protocol name {0}, level {1}")
    @CsvSource({"MQTT, 6", "MQTT, 0", "MQTT, 3", "MQTT, 255", "MQIsdp, 4", "MQIsdp, 5", "MQTX, 4", "mqtt, 5"})
    void unsupportedProtocol_isRefusedWithReturnCode1(String name, int level) throws Exception {
        try (Client c = open(Version.V3_1_1)) {
            c.send(RawMqtt.connect(name, level, CLEAN_START, 60, level == 5 ? props() : null, string(c.clientId)));
            List<Packet> sent = c.readUntilClosed();
            assertThat(sent).hasSize(1);
            assertThat(sent.get(0).type()).isEqualTo(CONNACK);
            assertThat(sent.get(0).body()).containsExactly(0, UNACCEPTABLE_PROTOCOL_VERSION);
        }
    }

    static Stream<Arguments> malformedConnectFlags() {
        int will = 0x04;
        int willQos1 = 0x08;
        int willQos3 = 0x18;
        int willRetain = 0x20;
        List<Arguments> cases = new ArrayList<>();
        for (Version v : THREE_AND_FIVE) {
            cases.add(arguments(v, "reserved flag set (3.1.2.3)", CLEAN_START | 0x01, false, MALFORMED_PACKET));
            cases.add(arguments(v, "will QoS 3 (3.1.2.6)", CLEAN_START | will | willQos3, true, MALFORMED_PACKET));
            cases.add(arguments(v, "will QoS without a will (3.1.2.6)", CLEAN_START | willQos1, false,
                    PROTOCOL_ERROR));
            cases.add(arguments(v, "will retain without a will (3.1.2.7)", CLEAN_START | willRetain, false,
                    PROTOCOL_ERROR));
        }
        return cases.stream();
    }

    /**
     * 3.1.1 3.1.2.3-3.1.2.7 and 4.8: the connection is closed. MQTT 5 CONNACK may say why (4.13.1): a set reserved
     * flag and will QoS 3 are called Malformed Packets; will bits without a will break a MUST, a Protocol Error.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("malformedConnectFlags")
    void connectWithMalformedFlags_isRefused(Version version, String what, int flags, boolean withWill, int code)
            throws Exception {
        try (Client c = open(version)) {
            byte[] willFields = withWill
                    ? concat(version.mqtt5() ? props().encoded() : new byte[0], string("telemetry/" + c.clientId),
                            string("{}"))
                    : new byte[0];
            c.send(RawMqtt.connect(version.protocolName, version.level, flags, 60, version.mqtt5() ? props() : null,
                    string(c.clientId), willFields));
            List<Packet> sent = c.readUntilClosed();
            if (version.mqtt5()) {
                assertThat(sent).hasSize(1);
                assertThat(hex(sent.get(0).connectCode())).isEqualTo(hex(code));
            } else {
                assertThat(sent).isEmpty();
            }
        }
    }

    @Test
    void mqtt5Connect_withAnAuthenticationMethod_isRefusedWith0x8C() throws Exception {
        try (Client c = open(Version.V5)) {
            c.send(RawMqtt.connect(Version.V5, c.clientId, 60, props().string(RawMqtt.AUTHENTICATION_METHOD, "SCRAM")));
            List<Packet> sent = c.readUntilClosed();
            assertThat(sent).hasSize(1);
            assertThat(hex(sent.get(0).connectCode())).isEqualTo(hex(BAD_AUTHENTICATION_METHOD));
        }
    }

    /** 3.1.2.11.3: a Receive Maximum of 0 is a Protocol Error. */
    @Test
    void mqtt5Connect_withReceiveMaximum0_isAProtocolError() throws Exception {
        try (Client c = open(Version.V5)) {
            c.send(RawMqtt.connect(Version.V5, c.clientId, 60, props().u16(RawMqtt.RECEIVE_MAXIMUM, 0)));
            List<Packet> sent = c.readUntilClosed();
            assertThat(sent).hasSize(1);
            assertThat(hex(sent.get(0).connectCode())).isEqualTo(hex(PROTOCOL_ERROR));
        }
    }

    // ---- PUBLISH

    static Stream<Arguments> versionsAndQos() {
        return Stream.of(Version.values()).flatMap(v -> Stream.of(arguments(v, 1), arguments(v, 2)));
    }

    /**
     * 2.2.1 (3.1.1 2.3.1): QoS 1 and 2 need a non-zero packet id. The gateway's codec refuses 0 while decoding, so
     * MQTT 5 gets 0x81 (4.13.1 allows 0x81 or 0x82; the docs say so).
     */
    @ParameterizedTest(name = "{0} QoS {1}")
    @MethodSource("versionsAndQos")
    void publishWithPacketId0_closesTheConnection(Version version, int qos) throws Exception {
        try (Client c = connected(version)) {
            c.send(telemetry(c, qos, 0, 1));
            assertClosedWith(c, MALFORMED_PACKET);
        }
    }

    static Stream<Arguments> wildcardTopics() {
        return THREE_AND_FIVE.stream().flatMap(v -> Stream.of("telemetry/+", "telemetry/#", "#", "+/x",
                "telemetry/CH+1", "telemetry/a#").map(t -> arguments(v, t)));
    }

    /** 3.3.2.1 (3.1.1 3.3.2.1): a topic name must not contain wildcards; the codec calls it malformed. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("wildcardTopics")
    void publishToAWildcardTopic_closesTheConnection(Version version, String topic) throws Exception {
        try (Client c = connected(version)) {
            c.send(RawMqtt.publish(version, 1, topic, 1, GatewayFixture.payload(c.clientId, 1)));
            assertClosedWith(c, MALFORMED_PACKET);
        }
    }

    static Stream<Arguments> illFormedUtf8() {
        List<Arguments> tails = List.of(
                arguments("C3 28, a lead byte without its continuation", new byte[] {(byte) 0xC3, 0x28}),
                arguments("ED A0 80, the surrogate U+D800", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}),
                arguments("C0 AF, an overlong '/'", new byte[] {(byte) 0xC0, (byte) 0xAF}),
                arguments("FF", new byte[] {(byte) 0xFF}),
                arguments("E2 82, cut short", new byte[] {(byte) 0xE2, (byte) 0x82}),
                arguments("00, U+0000", new byte[] {0x00}));
        return THREE_AND_FIVE.stream().flatMap(v -> tails.stream().map(t -> arguments(v, t.get()[0], t.get()[1])));
    }

    /** 1.5.4 (3.1.1 1.5.3): ill-formed UTF-8 or U+0000 is a Malformed Packet; 3.1.1 closes. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("illFormedUtf8")
    void publishWithIllFormedUtf8InTheTopic_closesTheConnection(Version version, String what, byte[] tail)
            throws Exception {
        try (Client c = connected(version)) {
            byte[] topic = concat(("telemetry/" + c.clientId).getBytes(StandardCharsets.UTF_8), tail);
            c.send(RawMqtt.publish(version, 1, false, topic, 1, null, GatewayFixture.payload(c.clientId, 1)));
            assertClosedWith(c, MALFORMED_PACKET);
        }
    }

    /** 3.3.1.2: both QoS bits set is a Malformed Packet. */
    @ParameterizedTest
    @EnumSource(Version.class)
    void publishWithQos3_closesTheConnection(Version version) throws Exception {
        try (Client c = connected(version)) {
            byte[] qos1 = telemetry(c, 1, 1, 1);
            qos1[0] |= 0x06;
            c.send(qos1);
            assertClosedWith(c, MALFORMED_PACKET);
        }
    }

    /** 3.3.1.3: Retain Available is 0 in the CONNACK, so a retained PUBLISH gets 0x9A; MQTT 3 retain is ignored. */
    @ParameterizedTest
    @EnumSource(Version.class)
    void retainedPublish_mqtt5IsRefused_mqtt3IsStoredAsAnyOther(Version version) throws Exception {
        try (Client c = connected(version)) {
            byte[] retained = telemetry(c, 1, 1, 1);
            retained[0] |= 0x01;
            c.send(retained);
            if (version.mqtt5()) {
                assertClosedWith(c, RETAIN_NOT_SUPPORTED);
            } else {
                assertThat(c.read(PUBACK).packetId()).isEqualTo(1);
                assertThat(fixture.store.storedFor(c.clientId)).hasSize(1);
            }
        }
    }

    /** 3.3.2.1: an empty topic name without a topic alias is a Protocol Error; 3.1.1 4.7.3: at least one character. */
    @ParameterizedTest
    @EnumSource(Version.class)
    void publishWithAnEmptyTopic_closesTheConnection(Version version) throws Exception {
        try (Client c = connected(version)) {
            c.send(RawMqtt.publish(version, 1, "", 1, GatewayFixture.payload(c.clientId, 1)));
            assertClosedWith(c, PROTOCOL_ERROR);
        }
    }

    // ---- MQTT 5 topic aliases (3.3.2.3.4)

    @Test
    void topicAlias_setThenUsed_isTheTopic() throws Exception {
        try (Client c = connected(Version.V5)) {
            byte[] topic = ("telemetry/" + c.clientId).getBytes(StandardCharsets.UTF_8);
            c.send(RawMqtt.publish(Version.V5, 1, false, topic, 1, props().u16(RawMqtt.TOPIC_ALIAS, 3),
                    GatewayFixture.payload(c.clientId, 1)));
            assertThat(c.read(PUBACK).replyCode()).isZero();
            c.send(RawMqtt.publish(Version.V5, 1, false, new byte[0], 2, props().u16(RawMqtt.TOPIC_ALIAS, 3),
                    GatewayFixture.payload(c.clientId, 2)));
            Packet second = c.read(PUBACK);
            assertThat(second.packetId()).isEqualTo(2);
            assertThat(second.replyCode()).isZero();
            assertThat(fixture.store.storedFor(c.clientId)).hasSize(2);
        }
    }

    @ParameterizedTest(name = "alias {0}")
    @CsvSource({"0", "17", "65535"})
    void topicAlias_outsideTheMaximum_isRefusedWith0x94(int alias) throws Exception {
        try (Client c = connected(Version.V5)) {
            byte[] topic = ("telemetry/" + c.clientId).getBytes(StandardCharsets.UTF_8);
            c.send(RawMqtt.publish(Version.V5, 1, false, topic, 1, props().u16(RawMqtt.TOPIC_ALIAS, alias),
                    GatewayFixture.payload(c.clientId, 1)));
            assertClosedWith(c, TOPIC_ALIAS_INVALID);
        }
    }

    @Test
    void topicAlias_neverSet_isAProtocolError() throws Exception {
        try (Client c = connected(Version.V5)) {
            c.send(RawMqtt.publish(Version.V5, 1, false, new byte[0], 1, props().u16(RawMqtt.TOPIC_ALIAS, 5),
                    GatewayFixture.payload(c.clientId, 1)));
            assertClosedWith(c, PROTOCOL_ERROR);
        }
    }

    // ---- MQTT 5 receive maximum (3.3.4, 4.9)

    @Test
    void receiveMaximumExceeded_isRefusedWith0x93_andNothingIsAcknowledged() throws Exception {
        fixture.store.holdCommits();
        try (Client c = connected(Version.V5)) {
            int receiveMaximum = Math.toIntExact(receiveMaximumOf(c));
            List<byte[]> publishes = new ArrayList<>();
            for (int i = 1; i <= receiveMaximum + 1; i++) {
                publishes.add(telemetry(c, 1, i, i));
            }
            c.send(publishes.toArray(byte[][]::new));
            assertClosedWith(c, RECEIVE_MAXIMUM_EXCEEDED);
        } finally {
            fixture.store.release();
        }
    }

    // ---- QoS 2 (4.3.3)

    @ParameterizedTest
    @EnumSource(Version.class)
    void qos2_pubrecAfterTheCommit_resendsAnsweredAgain_storedOnce(Version version) throws Exception {
        fixture.store.holdCommits();
        try (Client c = connected(version)) {
            byte[] publish = telemetry(c, 2, 7, 1);
            byte[] resent = publish.clone();
            resent[0] |= 0x08; // DUP
            c.send(publish);
            assertThat(c.silentFor(Duration.ofSeconds(1))).as("no PUBREC before the commit").isTrue();
            c.send(resent);
            fixture.store.release();

            Packet first = c.read(PUBREC);
            Packet second = c.read(PUBREC);
            assertThat(List.of(first.packetId(), second.packetId())).containsExactly(7, 7);
            assertThat(first.replyCode()).isZero();

            c.send(resent); // after PUBREC, before PUBREL (MQTT-4.3.3-10)
            assertThat(c.read(PUBREC).packetId()).isEqualTo(7);

            c.send(RawMqtt.pubrel(7));
            Packet pubcomp = c.read(PUBCOMP);
            assertThat(pubcomp.packetId()).isEqualTo(7);
            assertThat(pubcomp.replyCode()).isZero();
            assertThat(fixture.store.storedFor(c.clientId)).hasSize(1);
        } finally {
            fixture.store.release();
        }
    }

    /**
     * 4.3.3 and 4.4: the connection drops while a QoS 2 publish is being committed, so its PUBREC is never sent;
     * the client resends it on its session's next connection, where it is answered with PUBREC and not stored again.
     */
    @ParameterizedTest
    @EnumSource(value = Version.class, names = {"V3_1_1", "V5"})
    void qos2_committedAfterTheConnectionDropped_isNotStoredAgainOnTheNextConnection(Version version)
            throws Exception {
        String id = nextChargerId();
        IssuedCertificate cert = fixture.charger(id);
        // clean session off (3.1.1) or clean start off with a session expiry (5): the session outlives the connection
        byte[] connect = RawMqtt.connect(version.protocolName, version.level, 0, 60,
                version.mqtt5() ? props().u32(RawMqtt.SESSION_EXPIRY_INTERVAL, 600) : null, string(id));
        byte[] publish = RawMqtt.publish(version, 2, "telemetry/" + id, 9, GatewayFixture.payload(id, 1));
        byte[] resent = publish.clone();
        resent[0] |= 0x08;
        fixture.store.holdCommits();
        try (Client first = new Client(fixture.rawTls(cert), version, id)) {
            first.send(connect);
            assertThat(first.read(CONNACK).connectCode()).isZero();
            first.send(publish);
            assertThat(first.silentFor(Duration.ofMillis(300))).as("no PUBREC before the commit").isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.gateway.connectedDevices() == 0);
        fixture.store.release();
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.store.storedFor(id).size() == 1);

        try (Client second = new Client(fixture.rawTls(cert), version, id)) {
            second.send(connect);
            Packet connack = second.read(CONNACK);
            assertThat(connack.body()[0]).as("session present").isEqualTo((byte) 1);
            second.send(resent);
            assertThat(second.read(PUBREC).packetId()).isEqualTo(9);
            second.send(RawMqtt.pubrel(9));
            Packet pubcomp = second.read(PUBCOMP);
            assertThat(hex(pubcomp.replyCode())).as("PUBCOMP of a known packet id").isEqualTo(hex(0));
        }
        assertThat(fixture.store.storedFor(id)).hasSize(1);
    }

    /** 3.7.2.1: PUBCOMP 0x92 for a packet id not awaiting release; 3.1.1 3.6.4 answers PUBCOMP in any case. */
    @ParameterizedTest
    @EnumSource(Version.class)
    void pubrelOfAnUnknownPacketId_isAnsweredWithPubcomp(Version version) throws Exception {
        try (Client c = connected(version)) {
            c.send(RawMqtt.pubrel(42));
            Packet pubcomp = c.read(PUBCOMP);
            assertThat(pubcomp.packetId()).isEqualTo(42);
            assertThat(hex(pubcomp.replyCode())).isEqualTo(hex(version.mqtt5() ? PACKET_IDENTIFIER_NOT_FOUND : 0));
            c.send(RawMqtt.pingreq());
            assertThat(c.read().type()).as("still open").isEqualTo(PINGRESP);
        }
    }

    // ---- fixed headers: flags, types, lengths

    static Stream<Arguments> reservedFlagsWrong() {
        return THREE_AND_FIVE.stream().flatMap(v -> Stream.of(
                arguments(v, "SUBSCRIBE flags 0000", subscribeWithFirstByte(v, 0x80)),
                arguments(v, "SUBSCRIBE flags 0011", subscribeWithFirstByte(v, 0x83)),
                arguments(v, "PUBREL flags 0000", packet(0x60, u16(1))),
                arguments(v, "UNSUBSCRIBE flags 0000", packet(0xA0, u16(1), v.mqtt5() ? props().encoded()
                        : new byte[0], string("commands/x"))),
                arguments(v, "PINGREQ flags 0001", new byte[] {(byte) 0xC1, 0}),
                arguments(v, "DISCONNECT flags 1000", new byte[] {(byte) 0xE8, 0}),
                arguments(v, "PUBACK flags 0010", packet(0x42, u16(1)))));
    }

    /** 2.1.3 (3.1.1 2.2.2): invalid flags are a Malformed Packet. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("reservedFlagsWrong")
    void reservedFlagsWrong_closeTheConnection(Version version, String what, byte[] packet) throws Exception {
        try (Client c = connected(version)) {
            c.send(packet);
            assertClosedWith(c, MALFORMED_PACKET);
        }
    }

    /** 2.1.2: type 0 is forbidden in every version; 15 is reserved in 3.1.1. */
    @ParameterizedTest
    @EnumSource(Version.class)
    void packetType0_closesTheConnection(Version version) throws Exception {
        try (Client c = connected(version)) {
            c.send(new byte[] {0x00, 0x00});
            assertClosedWith(c, MALFORMED_PACKET);
        }
    }

    /**
     * 3.1.1 2.2.1: 15 is reserved, so the connection is closed. In MQTT 5 it is AUTH, which a client may send only
     * after a CONNECT with an Authentication Method (MQTT-4.12.0-7), which this gateway refuses: a Protocol Error.
     */
    @ParameterizedTest
    @EnumSource(Version.class)
    void packetType15_closesTheConnection(Version version) throws Exception {
        try (Client c = connected(version)) {
            c.send(new byte[] {(byte) 0xF0, 0x00});
            assertClosedWith(c, version.mqtt5() ? PROTOCOL_ERROR : MALFORMED_PACKET);
        }
    }

    static Stream<Arguments> serverOnlyPackets() {
        return THREE_AND_FIVE.stream().flatMap(v -> Stream.of(
                arguments(v, "CONNACK", v.mqtt5() ? packet(0x20, new byte[] {0, 0}, props().encoded())
                        : packet(0x20, new byte[] {0, 0})),
                arguments(v, "SUBACK", packet(0x90, u16(1), v.mqtt5() ? props().encoded() : new byte[0],
                        new byte[] {0})),
                arguments(v, "UNSUBACK", v.mqtt5() ? packet(0xB0, u16(1), props().encoded(), new byte[] {0})
                        : packet(0xB0, u16(1))),
                arguments(v, "PINGRESP", new byte[] {(byte) 0xD0, 0})));
    }

    /** Packets only a server sends are out of place from a client: a Protocol Error (4.13.1). */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("serverOnlyPackets")
    void packetsOnlyAServerSends_closeTheConnection(Version version, String what, byte[] packet) throws Exception {
        try (Client c = connected(version)) {
            c.send(packet);
            assertClosedWith(c, PROTOCOL_ERROR);
        }
    }

    /** 1.5.5 (3.1.1 2.2.3): the Remaining Length takes at most four bytes. */
    @ParameterizedTest
    @EnumSource(Version.class)
    void remainingLengthOfFiveBytes_closesTheConnection(Version version) throws Exception {
        try (Client c = connected(version)) {
            c.send(new byte[] {0x30, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01});
            assertClosedWith(c, MALFORMED_PACKET);
        }
    }

    static Stream<Arguments> truncatedPackets() {
        return THREE_AND_FIVE.stream().flatMap(v -> {
            byte[] publish = packet(0x32, string("telemetry/x"), u16(1), v.mqtt5() ? props().encoded() : new byte[0],
                    new byte[40]);
            return Stream.of(
                    arguments(v, "a Remaining Length cut after a continuation byte", new byte[] {0x30, (byte) 0xFF}),
                    arguments(v, "a body shorter than its Remaining Length",
                            Arrays.copyOf(publish, publish.length - 20)));
        });
    }

    /**
     * A packet that never completes is not a packet: the connection stays open and the keep-alive (1.5 × 1 s here)
     * ends it, as for a client that went silent (3.1.2.10; MQTT 5 with DISCONNECT 0x8D).
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("truncatedPackets")
    void truncatedPacket_waitsForTheRest_untilTheKeepAliveEndsIt(Version version, String what, byte[] truncated)
            throws Exception {
        try (Client c = connected(version, 1, null)) {
            c.send(truncated);
            assertThat(c.silentFor(Duration.ofMillis(500))).as("still open, waiting for the rest").isTrue();
            assertClosedWith(c, KEEP_ALIVE_TIMEOUT);
        }
    }

    /** The client ends its side in the middle of a packet: the server closes too, sending nothing. */
    @ParameterizedTest
    @EnumSource(Version.class)
    void truncatedPacket_thenHalfClose_closesTheConnection(Version version) throws Exception {
        try (Client c = connected(version)) {
            byte[] publish = telemetry(c, 1, 1, 1);
            c.send(Arrays.copyOf(publish, publish.length / 2));
            c.socket.shutdownOutput();
            assertThat(c.readUntilClosed()).isEmpty();
        }
    }

    // ---- sizes

    /**
     * Larger than the maximum packet size (3.1.2.11.4 / 3.2.2.3.6): MQTT 5 DISCONNECT 0x95, 3.1.1 closes. Only the
     * start of the packet is sent: the gateway answers once it has the header, and a client still writing into a
     * closed connection would see a reset that can discard the DISCONNECT before it is read.
     */
    @ParameterizedTest
    @EnumSource(Version.class)
    void packetLargerThanTheMaximum_closesTheConnection(Version version) throws Exception {
        int size = MqttGatewaySettings.Limits.DEFAULTS.maxPacketBytes() + 1;
        try (Client c = connected(version)) {
            byte[] publish = RawMqtt.publish(version, 1, "telemetry/" + c.clientId, 1, new byte[size]);
            c.send(Arrays.copyOf(publish, 4096));
            assertClosedWith(c, PACKET_TOO_LARGE);
        }
    }

    @Test
    void connectLargerThanTheMaximum_mqtt5IsRefusedWith0x95() throws Exception {
        try (Client c = open(Version.V5)) {
            byte[] connect = packet(0x10, string("MQTT"), new byte[] {5, CLEAN_START}, u16(60), props().encoded(),
                    string(c.clientId), new byte[MqttGatewaySettings.Limits.DEFAULTS.maxPacketBytes()]);
            c.send(Arrays.copyOf(connect, 4096)); // as above: the header is enough
            List<Packet> sent = c.readUntilClosed();
            assertThat(sent).hasSize(1);
            assertThat(hex(sent.get(0).connectCode())).isEqualTo(hex(PACKET_TOO_LARGE));
        }
    }

    /** Over the 128 KiB payload limit but within the packet size: acknowledged, and kept as a dead letter. */
    @ParameterizedTest
    @EnumSource(Version.class)
    void payloadOverTheLimit_isAcknowledged_andDeadLettered(Version version) throws Exception {
        byte[] payload = new byte[200 * 1024];
        Arrays.fill(payload, (byte) ' ');
        try (Client c = connected(version)) {
            c.send(RawMqtt.publish(version, 1, "telemetry/" + c.clientId, 1, payload));
            Packet puback = c.read(PUBACK);
            assertThat(puback.packetId()).isEqualTo(1);
            assertThat(hex(puback.replyCode())).isEqualTo(hex(version.mqtt5() ? PAYLOAD_FORMAT_INVALID : 0));
            assertThat(fixture.store.deadLetters).filteredOn(d -> c.clientId.equals(d.clientId()))
                    .extracting(DeadLetter::reason, DeadLetter::payloadSize)
                    .containsExactly(tuple(RejectReason.PayloadTooLarge, payload.length));
            assertThat(fixture.store.storedFor(c.clientId)).isEmpty();
        }
    }

    // ---- logged once

    /**
     * A bad packet followed by more (good and bad) in the same write is one INFO line about that connection, and no
     * WARN at all: whatever the server still decodes once it is closing is dropped unread.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"packet type 0 before CONNECT", "PUBLISH before CONNECT", "refused CONNECT",
            "packet type 0 after CONNECT", "second CONNECT"})
    void aBadConnection_isLoggedOnce(String when) throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        root.addAppender(log);
        String who;
        try {
            boolean beforeConnect = when.endsWith("before CONNECT") || when.equals("refused CONNECT");
            try (Client c = beforeConnect ? open(Version.V5) : connected(Version.V5)) {
                who = when.endsWith("before CONNECT") ? "127.0.0.1:" + c.socket.getLocalPort() : c.clientId;
                byte[] bad = switch (when) {
                    case "PUBLISH before CONNECT" -> telemetry(c, 0, 0, 1);
                    case "refused CONNECT" -> RawMqtt.connect("MQTT", 5, CLEAN_START | 0x18, 60, props(),
                            string(c.clientId));
                    case "second CONNECT" -> RawMqtt.connect(Version.V5, c.clientId);
                    default -> new byte[] {0x00, 0x00};
                };
                c.send(concat(bad, bad, telemetry(c, 1, 1, 1), RawMqtt.pingreq(),
                        RawMqtt.publish(Version.V5, 3, "telemetry/+", 0, new byte[10]), bad));
                List<Packet> sent = c.readUntilClosed();
                assertThat(sent).as("at most the one answer to the bad packet").hasSizeLessThanOrEqualTo(1);
            }
            aWellBehavedChargerIsStillServed(); // time for anything logged late, on the connection's event loop
        } finally {
            root.detachAppender(log);
        }
        List<String> lines = log.list.stream()
                .filter(e -> e.getLoggerName().startsWith("io.chargeline.gateway"))
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO) && e.getFormattedMessage().contains(who))
                .map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
        assertThat(lines).hasSize(1);
        assertThat(log.list).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
    }

    // ---- helpers

    private static String nextChargerId() {
        return "RAW-" + chargerCount.incrementAndGet();
    }

    /** A TLS connection with a newly provisioned charger's certificate, nothing sent yet. */
    private static Client open(Version version) throws Exception {
        String id = nextChargerId();
        return new Client(fixture.rawTls(fixture.charger(id)), version, id);
    }

    private static Client connected(Version version) throws Exception {
        return connected(version, 60, null);
    }

    private static Client connected(Version version, int keepAlive, Props props) throws Exception {
        Client c = open(version);
        c.send(RawMqtt.connect(version, c.clientId, keepAlive, props));
        c.connack = c.read(CONNACK);
        assertThat(c.connack.connectCode()).as("CONNACK code").isZero();
        return c;
    }

    private static long receiveMaximumOf(Client c) {
        return (Long) c.connack.connackProperties().get(RawMqtt.RECEIVE_MAXIMUM);
    }

    private static byte[] telemetry(Client c, int qos, int packetId, int second) {
        return RawMqtt.publish(c.version, qos, "telemetry/" + c.clientId, packetId,
                GatewayFixture.payload(c.clientId, second));
    }

    private static byte[] subscribeWithFirstByte(Version version, int firstByte) {
        byte[] p = RawMqtt.subscribe(version, 1, "commands/x/#", 1);
        p[0] = (byte) firstByte;
        return p;
    }

    /**
     * MQTT 3 has no DISCONNECT from the server: the connection is closed with nothing sent. MQTT 5 sends DISCONNECT
     * with {@code reasonCode} first (4.13.1).
     */
    private static void assertClosedWith(Client c, int reasonCode) throws IOException {
        List<Packet> sent = c.readUntilClosed();
        if (c.version.mqtt5()) {
            assertThat(sent).as("what the server sent before closing").hasSize(1);
            assertThat(hex(sent.get(0).disconnectCode())).as("DISCONNECT reason code").isEqualTo(hex(reasonCode));
        } else {
            assertThat(sent).as("what the server sent before closing").isEmpty();
        }
    }

    private static String hex(int code) {
        return String.format("0x%02X", code);
    }
}
