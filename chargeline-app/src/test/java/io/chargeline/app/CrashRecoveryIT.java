package io.chargeline.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.chargeline.tools.bench.ChargelineServer;
import io.chargeline.tools.bench.PublishResults;
import io.chargeline.tools.bench.ServerLaunch;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The durability promise: the real jar runs in a child JVM, chargers publish under load, the JVM is stopped
 * mid-stream (SIGKILL, or SIGTERM for a graceful stop); after a restart every message whose acknowledgement the
 * chargers saw (QoS 1 PUBACK, QoS 2 PUBREC and PUBCOMP) is in the store.
 */
class CrashRecoveryIT {
    private static final int CHARGERS = 8;
    private static final int INFLIGHT_PER_CHARGER = 16;
    private static final Instant BASE = Instant.parse("2026-11-01T00:00:00Z");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private ChargelineServer server;

    @AfterEach
    void killServer() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.stop(false);
        }
    }

    /** QoS 1 counts a message acknowledged at its PUBACK; QoS 2 once the exchange completed (PUBREC, then PUBCOMP). */
    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {1, 2})
    void sigkillUnderLoad_losesNoAcknowledgedMessage(int qos) throws Exception {
        assertNoAcknowledgedMessageLost(false, qos);
    }

    @Test
    void sigtermUnderLoad_exitsCleanly_andLosesNoAcknowledgedMessage() throws Exception {
        assertNoAcknowledgedMessageLost(true, 1);
    }

    private void assertNoAcknowledgedMessageLost(boolean graceful, int qos) throws Exception {
        startServer("first");
        List<Credentials> chargers = new ArrayList<>();
        for (int i = 0; i < CHARGERS; i++) {
            chargers.add(provision("CH-crash-" + i));
        }
        Set<String> acked = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> publishers = new ArrayList<>();
        for (Credentials c : chargers) {
            Thread t = new Thread(() -> publishUntilStopped(c, qos, acked, stop), "publisher-" + c.chargerId());
            t.start();
            publishers.add(t);
        }

        await().atMost(Duration.ofMinutes(2)).until(() -> acked.size() >= 3_000);
        // SIGTERM: stop accepting, commit what was accepted, close the store; SIGKILL: no hook, no flush
        int exitStatus = server.stop(graceful);
        if (graceful) {
            assertThat(exitStatus).as("exit status after SIGTERM").isIn(0, 143);
            assertThat(java.nio.file.Files.readString(dir.resolve("server-first.log"))).contains("store: closed");
        }
        Set<String> ackedBeforeDeath = Set.copyOf(acked);
        stop.set(true);
        for (Thread t : publishers) {
            t.join(30_000);
        }

        startServer("second");
        Set<String> stored = new HashSet<>();
        for (Credentials c : chargers) {
            stored.addAll(storedTimestamps(c.chargerId()));
        }
        Set<String> missing = new HashSet<>(ackedBeforeDeath);
        missing.removeAll(stored);
        assertThat(ackedBeforeDeath).hasSizeGreaterThanOrEqualTo(3_000);
        assertThat(missing).as("acknowledged before the stop but not stored after restart").isEmpty();
        // the restarted server still provisions with its CA from disk, and the new charger can connect
        Credentials late = provision("CH-after-restart-" + graceful);
        com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient client = late.mqtt5(server.mqttPort());
        client.connect();
        client.disconnect();
    }

    private void publishUntilStopped(Credentials charger, int qos, Set<String> acked, AtomicBoolean stop) {
        Mqtt5AsyncClient client = Mqtt5Client.builder()
                .identifier(charger.chargerId())
                .serverHost("127.0.0.1")
                .serverPort(server.mqttPort())
                .sslConfig(charger.ssl())
                .buildAsync();
        try {
            client.connect().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Semaphore inflight = new Semaphore(INFLIGHT_PER_CHARGER);
        for (long i = 0; !stop.get(); i++) {
            try {
                if (!inflight.tryAcquire(1, TimeUnit.SECONDS)) {
                    continue; // the server is gone; wait for the stop signal
                }
            } catch (InterruptedException e) {
                return;
            }
            String ts = BASE.plusMillis(i).toString();
            String key = charger.chargerId() + "@" + ts;
            byte[] payload = MqttIngestIT.payload(charger.chargerId(), ts, "{\"seq\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            client.publishWith().topic("telemetry/" + charger.chargerId())
                    .qos(qos == 2 ? MqttQos.EXACTLY_ONCE : MqttQos.AT_LEAST_ONCE).payload(payload).send()
                    .whenComplete((result, error) -> {
                        if (error == null && acknowledged(result)) {
                            acked.add(key);
                        }
                        inflight.release();
                    });
        }
    }

    private static boolean acknowledged(Mqtt5PublishResult result) {
        if (result instanceof Mqtt5PublishResult.Mqtt5Qos2Result qos2) {
            return !qos2.getPubRec().getReasonCode().isError();
        }
        return PublishResults.acknowledged(result);
    }

    private Set<String> storedTimestamps(String chargerId) throws Exception {
        Set<String> out = new HashSet<>();
        String cursor = null;
        do {
            String path = "/api/v1/chargers/" + chargerId + "/telemetry?from=" + BASE + "&to=" + BASE.plusSeconds(86_400)
                    + "&limit=1000" + (cursor == null ? "" : "&cursor=" + cursor);
            JsonNode page = TestPlatform.JSON.readTree(get(path).body());
            for (JsonNode item : page.get("items")) {
                out.add(chargerId + "@" + Instant.parse(item.get("timestamp").asText()));
            }
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        return out;
    }

    private void startServer(String run) throws IOException, InterruptedException {
        server = ChargelineServer.start(new ServerLaunch(Path.of("target", "chargeline.jar").toAbsolutePath(),
                List.of("-Xmx512m")), dir.resolve("data"), TestPlatform.ADMIN_KEY, dir.resolve("server-" + run + ".log"));
    }

    private Credentials provision(String chargerId) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/devices"))
                .header("Authorization", "Bearer " + TestPlatform.ADMIN_KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"chargerId\":\"" + chargerId + "\"}")));
        JsonNode body = TestPlatform.JSON.readTree(response.body());
        return new Credentials(chargerId, body.get("certificatePem").asText(), body.get("privateKeyPem").asText(),
                body.get("caCertificatePem").asText());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TestPlatform.ADMIN_KEY).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.httpPort() + path);
    }
}
