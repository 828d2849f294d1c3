package io.chargeline.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Real chargers over mutual TLS against the real platform: what is acknowledged is stored, nothing else is. */
class MqttIngestIT {
    private static final AtomicInteger IDS = new AtomicInteger();

    @TempDir
    static Path dataDir;

    static TestPlatform server;

    @BeforeAll
    static void start() {
        server = new TestPlatform(dataDir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void mqtt5_publish_isAcknowledged_thenReadableOverHttp_inTheReferenceShape() {
        Credentials charger = server.provision(newId());
        Mqtt5BlockingClient client = charger.mqtt5(server.mqttPort());
        client.connect();
        Instant ts = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        Mqtt5PubAck ack = publish(client, charger.chargerId(),
                payload(charger.chargerId(), ts.toString(), "{\"voltage\":240.5,\"status\":\"CHARGING\"}"));
        client.disconnect();

        assertThat(ack.getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        HttpResponse<String> latest = server.get("/telemetry/" + charger.chargerId());
        assertThat(latest.statusCode()).isEqualTo(200);
        JsonNode body = TestPlatform.json(latest);
        assertThat(body.get("chargerId").asText()).isEqualTo(charger.chargerId());
        assertThat(body.get("timestamp").asText()).isEqualTo(ts.toString());
        assertThat(body.get("data").toString()).isEqualTo("{\"voltage\":240.5,\"status\":\"CHARGING\"}");
        Instant received = Instant.parse(body.at("/metadata/receivedAt").asText());
        Instant processed = Instant.parse(body.at("/metadata/processedAt").asText());
        assertThat(processed).isAfterOrEqualTo(received);
    }

    @Test
    void mqtt311_pahoPublish_isStored() throws MqttException {
        Credentials charger = server.provision(newId());
        MqttClient paho = charger.paho(server.mqttPort());
        String ts = "2026-02-10T19:58:24.656Z";

        paho.publish("telemetry/" + charger.chargerId(),
                payload(charger.chargerId(), ts, "{\"current\":32.0}").getBytes(StandardCharsets.UTF_8), 1, false);
        paho.disconnect();
        paho.close();

        JsonNode body = TestPlatform.json(server.get("/telemetry/" + charger.chargerId()));
        assertThat(body.get("timestamp").asText()).isEqualTo(ts);
        assertThat(body.at("/data/current").asDouble()).isEqualTo(32.0);
    }

    @Test
    void sameChargerAndTimestampTwice_isOneRecord_withTheLastData() {
        Credentials charger = server.provision(newId());
        Mqtt5BlockingClient client = charger.mqtt5(server.mqttPort());
        client.connect();
        String ts = "2026-02-10T19:58:24.656Z";

        publish(client, charger.chargerId(), payload(charger.chargerId(), ts, "{\"n\":1}"));
        publish(client, charger.chargerId(), payload(charger.chargerId(), ts, "{\"n\":2}"));
        client.disconnect();

        JsonNode history = TestPlatform.json(server.get("/api/v1/chargers/" + charger.chargerId()
                + "/telemetry?from=2026-02-10T00:00:00Z&to=2026-02-11T00:00:00Z"));
        assertThat(history.get("items")).hasSize(1);
        assertThat(history.at("/items/0/data/n").asInt()).isEqualTo(2);
        JsonNode count = TestPlatform.json(server.get("/api/v1/chargers/" + charger.chargerId()
                + "/telemetry/count?from=2026-02-10T00:00:00Z&to=2026-02-11T00:00:00Z"));
        assertThat(count.get("count").asLong()).isEqualTo(1);
    }

    static List<String[]> invalidSamples() throws IOException {
        List<String[]> out = new ArrayList<>();
        try (InputStream in = MqttIngestIT.class.getResourceAsStream("/samples/telemetry-invalid.jsonl")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    JsonNode node = TestPlatform.JSON.readTree(line);
                    out.add(new String[] {node.get("expect").asText(), node.get("payload").toString()});
                }
            }
        }
        out.add(new String[] {"MalformedJson", "{\"chargerId\":"});
        out.add(new String[] {"ChargerIdMismatch", "{\"chargerId\":\"someone-else\",\"timestamp\":\"2026-02-10T19:58:24Z\"}"});
        out.add(new String[] {"PayloadTooLarge", "{\"pad\":\"" + "x".repeat(140 * 1024) + "\"}"});
        return out;
    }

    @ParameterizedTest
    @MethodSource("invalidSamples")
    void invalidPayload_isRefusedWithReason_keptAsDeadLetter_andCounted(String reason, String samplePayload) {
        Credentials charger = server.provision(newId());
        // the samples name CH-1; put the charger's own id in so only the tested rule fails
        String payload = samplePayload.replace("\"CH-1\"", "\"" + charger.chargerId() + "\"");
        double before = metric("chargeline_events_rejected_total{reason=\"" + reason + "\"}");
        Mqtt5BlockingClient client = charger.mqtt5(server.mqttPort());
        client.connect();

        Mqtt5PubAck ack = publish(client, charger.chargerId(), payload);
        client.disconnect();

        assertThat(ack.getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID);
        assertThat(ack.getReasonString()).hasValueSatisfying(s -> assertThat(s.toString()).startsWith(reason));
        assertThat(server.get("/telemetry/" + charger.chargerId()).statusCode()).isEqualTo(404);
        JsonNode letters = TestPlatform.json(server.get("/api/v1/dead-letters?limit=1000"));
        assertThat(letters.get("items")).anySatisfy(item -> {
            assertThat(item.get("chargerId").asText()).isEqualTo(charger.chargerId());
            assertThat(item.get("reason").asText()).isEqualTo(reason);
        });
        assertThat(metric("chargeline_events_rejected_total{reason=\"" + reason + "\"}")).isEqualTo(before + 1);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "2026-11-30T10:00:00.656Z, 2026-11-30T10:00:00.656Z",
        "2026-11-30T10:00:00Z, 2026-11-30T10:00:00.000Z",
        "2026-11-30T10:00:00.656789Z, 2026-11-30T10:00:00.656789Z",
        "2026-11-30T10:00:00.123456789Z, 2026-11-30T10:00:00.123456789Z",
        "2026-11-30T12:00:00.5+02:00, 2026-11-30T10:00:00.500Z"
    })
    void timestamp_readsBackAsTheInstantItWasStoredUnder_withTheDigitsSent(String sent, String readBack) {
        Credentials charger = server.provision(newId());
        Mqtt5BlockingClient client = charger.mqtt5(server.mqttPort());
        client.connect();

        assertThat(publish(client, charger.chargerId(), payload(charger.chargerId(), sent, "{}")).getReasonCode())
                .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        client.disconnect();

        assertThat(TestPlatform.json(server.get("/telemetry/" + charger.chargerId())).get("timestamp").asText())
                .isEqualTo(readBack);
        JsonNode history = TestPlatform.json(server.get("/api/v1/chargers/" + charger.chargerId()
                + "/telemetry?from=2026-11-30T00:00:00Z&to=2026-12-01T00:00:00Z"));
        assertThat(history.at("/items/0/timestamp").asText()).isEqualTo(readBack);
    }

    /**
     * Issue 11, finding 1: timestamps no store can hold once passed validation, failed the shared group commit and
     * disconnected every charger whose messages were in it, again with every resend.
     */
    @Test
    void poisonTimestampsFromSixChargers_failNothingForAChargerStreamingBesideThem() throws Exception {
        Credentials good = server.provision(newId());
        List<Credentials> poisoners = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            poisoners.add(server.provision(newId()));
        }
        String[] poison = {"-999999999-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "-10000-01-01T00:00:00Z",
            "0000-01-01T00:00:00Z", "1969-12-31T23:59:59Z"};
        Mqtt5BlockingClient goodClient = good.mqtt5(server.mqttPort());
        goodClient.connect();
        Instant start = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        List<java.util.concurrent.CompletableFuture<Mqtt5PublishResult>> goodAcks = new ArrayList<>();
        List<Thread> senders = new ArrayList<>();
        List<Mqtt5PubAck> poisonAcks = java.util.Collections.synchronizedList(new ArrayList<>());
        for (Credentials p : poisoners) {
            Thread t = new Thread(() -> {
                Mqtt5BlockingClient c = p.mqtt5(server.mqttPort());
                c.connect();
                for (int round = 0; round < 10; round++) {
                    for (String ts : poison) {
                        poisonAcks.add(publish(c, p.chargerId(), payload(p.chargerId(), ts, "{\"x\":1}")));
                    }
                }
                c.disconnect();
            });
            t.start();
            senders.add(t);
        }

        for (int i = 0; i < 2000; i++) {
            goodAcks.add(goodClient.toAsync().publishWith().topic("telemetry/" + good.chargerId())
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(payload(good.chargerId(), start.plusMillis(i).toString(), "{\"n\":" + i + "}")
                            .getBytes(StandardCharsets.UTF_8))
                    .send());
        }
        for (Thread t : senders) {
            t.join(60_000);
        }

        for (var ack : goodAcks) {
            assertThat(((Mqtt5PublishResult.Mqtt5Qos1Result) ack.get(60, java.util.concurrent.TimeUnit.SECONDS))
                    .getPubAck().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        }
        assertThat(goodClient.getState().isConnected()).isTrue();
        goodClient.disconnect();
        assertThat(poisonAcks).hasSize(6 * 10 * poison.length).allSatisfy(ack -> {
            assertThat(ack.getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID);
            assertThat(ack.getReasonString()).hasValueSatisfying(r -> assertThat(r.toString()).startsWith("TimestampTooOld"));
        });
        JsonNode count = TestPlatform.json(server.get("/api/v1/chargers/" + good.chargerId() + "/telemetry/count?from="
                + start + "&to=" + start.plusSeconds(3)));
        assertThat(count.get("count").asLong()).isEqualTo(2000);
        for (Credentials p : poisoners) {
            assertThat(server.get("/telemetry/" + p.chargerId()).statusCode()).isEqualTo(404);
            // refused messages are no sign of life: no silence deadline, so no SILENT alarm later
            assertThat(TestPlatform.json(server.get("/api/v1/chargers/" + p.chargerId())).get("lastSeen").isNull())
                    .isTrue();
        }
        JsonNode health = TestPlatform.json(server.get("/health"));
        assertThat(health.get("status").asText()).isEqualTo("healthy");
        assertThat(health.at("/components/store/failedCommits").asLong()).isZero();
    }

    @Test
    void publishToAnotherChargersTopic_mqtt5_isNotAuthorized_nothingIsStored_andTheConnectionStaysUsable() {
        Credentials charger = server.provision(newId());
        Credentials victim = server.provision(newId());
        double before = metric("chargeline_topic_refused_total{action=\"publish\"}");
        Mqtt5BlockingClient client = charger.mqtt5(server.mqttPort());
        client.connect();

        Mqtt5PubAckReasonCode refusal = publish(client, victim.chargerId(),
                payload(victim.chargerId(), "2026-02-10T19:58:24Z", "{}")).getReasonCode();

        assertThat(refusal).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        assertThat(server.get("/telemetry/" + victim.chargerId()).statusCode()).isEqualTo(404);
        assertThat(metric("chargeline_topic_refused_total{action=\"publish\"}")).isEqualTo(before + 1);
        // MQTT 5 lets the PUBACK say why, so the connection goes on (HiveMQ CE used to close it)
        String ts = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        assertThat(publish(client, charger.chargerId(), payload(charger.chargerId(), ts, "{}")).getReasonCode())
                .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        assertThat(client.getState().isConnected()).isTrue();
        client.disconnect();
    }

    @Test
    void publishToForeignTopic_mqtt311_disconnectsTheClient() throws MqttException {
        Credentials charger = server.provision(newId());
        MqttClient paho = charger.paho(server.mqttPort());

        assertThatThrownBy(() -> paho.publish("commands/" + charger.chargerId(), "{}".getBytes(StandardCharsets.UTF_8), 1, false))
                .isInstanceOf(MqttException.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> !paho.isConnected());
        paho.close();
    }

    @Test
    void subscribe_ownCommands_isGranted_othersAreRefused() {
        Credentials charger = server.provision(newId());
        Mqtt5BlockingClient client = charger.mqtt5(server.mqttPort());
        client.connect();

        Mqtt5SubAck own = client.subscribeWith().topicFilter("commands/" + charger.chargerId() + "/#").qos(MqttQos.AT_LEAST_ONCE).send();
        List<Mqtt5SubAckReasonCode> others = new ArrayList<>();
        for (String filter : List.of("#", "telemetry/" + charger.chargerId(), "commands/+/#", "commands/other/#")) {
            try {
                others.addAll(client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send().getReasonCodes());
            } catch (com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException e) {
                others.addAll(e.getMqttMessage().getReasonCodes());
            }
        }
        client.disconnect();

        assertThat(own.getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        assertThat(others).hasSize(4).containsOnly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
    }

    @Test
    void clientIdOtherThanCertificateCn_isRefusedAtConnect() {
        Credentials charger = server.provision(newId());

        assertThatThrownBy(() -> charger.mqtt5(server.mqttPort(), charger.chargerId() + "-x").connect())
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> assertThat(e.getMqttMessage().getReasonCode())
                        .isEqualTo(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID));
    }

    @Test
    void revokedCharger_isDisconnectedAtOnce_andCannotConnectAgain() {
        Credentials charger = server.provision(newId());
        Mqtt5BlockingClient client = charger.mqtt5(server.mqttPort());
        client.connect();

        assertThat(server.delete("/api/v1/devices/" + charger.chargerId()).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> !client.getState().isConnected());
        assertThatThrownBy(() -> charger.mqtt5(server.mqttPort()).connect())
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> assertThat(e.getMqttMessage().getReasonCode())
                        .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED));
    }

    @Test
    void reprovisionedCharger_oldCertificateIsRefused_newOneWorks() {
        String id = newId();
        Credentials old = server.provision(id);
        server.delete("/api/v1/devices/" + id);
        Credentials fresh = server.provision(id);

        assertThatThrownBy(() -> old.mqtt5(server.mqttPort()).connect()).isInstanceOf(Mqtt5ConnAckException.class);
        Mqtt5BlockingClient client = fresh.mqtt5(server.mqttPort());
        client.connect();
        client.disconnect();
    }

    @Test
    void certificateFromAnotherCa_failsTheTlsHandshake(@TempDir Path otherDataDir) {
        Credentials foreign;
        try (TestPlatform other = new TestPlatform(otherDataDir)) {
            foreign = other.provision("CH-foreign");
        }
        server.provision("CH-foreign");
        // trust our server but present the foreign certificate
        Credentials mixed = new Credentials("CH-foreign", foreign.certificatePem(), foreign.privateKeyPem(),
                server.provision(newId()).caPem());

        assertThatThrownBy(() -> mixed.mqtt5(server.mqttPort()).connect()).isNotInstanceOf(Mqtt5ConnAckException.class);
    }

    /** Publishes at QoS 1 and returns the PUBACK, whether it reports success or an error code. */
    private static Mqtt5PubAck publish(Mqtt5BlockingClient client, String chargerId, String payload) {
        try {
            Mqtt5PublishResult result = client.publishWith()
                    .topic("telemetry/" + chargerId)
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(payload.getBytes(StandardCharsets.UTF_8))
                    .send();
            return ((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck();
        } catch (Mqtt5PubAckException e) {
            return e.getMqttMessage();
        }
    }

    static String payload(String chargerId, String timestamp, String data) {
        return "{\"chargerId\":\"" + chargerId + "\",\"timestamp\":\"" + timestamp + "\",\"data\":" + data + "}";
    }

    static double metric(String series) {
        String text = server.get("/metrics").body();
        return text.lines()
                .filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst()
                .orElse(0);
    }

    private static String newId() {
        return "CH-IT-" + IDS.incrementAndGet();
    }
}
