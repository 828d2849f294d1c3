package io.chargeline.app;

import static io.chargeline.app.TestPlatform.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.sun.net.httpserver.HttpServer;
import io.chargeline.core.webhook.WebhookDispatcher;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks against the real platform and a real HTTP receiver on loopback, which the operator allows with
 * {@code --webhook-allow 127.0.0.0/8} (refused by default: see {@link WebhookTargetsIT}).
 */
class WebhooksIT {
    private static final String SECRET = "receiver-shared-secret-42";
    private static final AtomicInteger IDS = new AtomicInteger();

    @TempDir
    static Path dataDir;

    static TestPlatform server;

    @BeforeAll
    static void start() {
        server = new TestPlatform(dataDir, Duration.ofSeconds(2), PlatformConfig.DEFAULT_MAX_ARTIFACT_BYTES,
                List.of("127.0.0.0/8"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void alarmEvents_arriveSigned_andA500IsRetriedUntilAccepted() throws Exception {
        try (Receiver receiver = Receiver.start(0)) {
            receiver.failFirst.set(1);
            String hookId = register(receiver.url(), "alarm.raised", "alarm.cleared");
            Credentials charger = server.provision("CH-WH-" + IDS.incrementAndGet());
            Mqtt5BlockingClient client = charger.mqtt5(server.mqttPort());
            client.connect();
            publish(client, charger.chargerId());

            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.accepted(charger.chargerId(), "alarm.raised"));
            publish(client, charger.chargerId());
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.accepted(charger.chargerId(), "alarm.cleared"));
            client.disconnect();

            assertThat(receiver.requests).allSatisfy(r -> assertThat(r.signature)
                    .isEqualTo("sha256=" + WebhookDispatcher.sign(SECRET, r.body)));
            assertThat(receiver.requests.get(0).status).isEqualTo(500);
            JsonNode raised = await().atMost(Duration.ofSeconds(10)).until(() -> find(TestPlatform.json(
                    server.get("/api/v1/webhooks/" + hookId + "/deliveries")), "alarm.raised"),
                    d -> d.get("state").asText().equals("DELIVERED"));
            assertThat(raised.get("attempts").asInt()).isEqualTo(2);
            assertThat(raised.at("/payload/data/chargerId").asText()).isEqualTo(charger.chargerId());
        }
    }

    @Test
    void aReceiverThatIsDown_getsTheDeliveryOnceItIsUp() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String hookId = register("http://127.0.0.1:" + port + "/hook", "charger.online");
        Credentials charger = server.provision("CH-WH-" + IDS.incrementAndGet());
        Mqtt5BlockingClient client = charger.mqtt5(server.mqttPort());
        client.connect();

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            JsonNode d = find(TestPlatform.json(server.get("/api/v1/webhooks/" + hookId + "/deliveries")), "charger.online");
            return d != null && d.get("attempts").asInt() >= 1 && d.get("lastError").asText().contains("Connect");
        });
        try (Receiver receiver = Receiver.start(port)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.accepted(charger.chargerId(), "charger.online"));
            // kept up until the sender has read the answer and stored the outcome
            await().atMost(Duration.ofSeconds(10)).until(() -> find(TestPlatform.json(
                    server.get("/api/v1/webhooks/" + hookId + "/deliveries")), "charger.online").get("state").asText()
                    .equals("DELIVERED"));
        }
        client.disconnect();
    }

    @Test
    void registration_validatesInput_andNeverReturnsTheSecret() {
        HttpResponse<String> created = server.post("/api/v1/webhooks",
                "{\"url\":\"http://127.0.0.1:9/hook\",\"secret\":\"" + SECRET + "\",\"events\":[\"alarm.raised\"]}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body()).doesNotContain(SECRET);
        String id = TestPlatform.json(created).get("id").asText();
        assertThat(server.get("/api/v1/webhooks").body()).doesNotContain(SECRET).contains(id);
        assertThat(server.get("/api/v1/webhooks/" + id).body()).doesNotContain(SECRET);

        assertProblem(server.post("/api/v1/webhooks", "{\"url\":\"ftp://x\",\"secret\":\"" + SECRET
                + "\",\"events\":[\"alarm.raised\"]}"), 400, "http or https");
        assertProblem(server.post("/api/v1/webhooks", "{\"url\":\"https://x.example\",\"secret\":\"short\","
                + "\"events\":[\"alarm.raised\"]}"), 400, "secret");
        assertProblem(server.post("/api/v1/webhooks", "{\"url\":\"https://x.example\",\"secret\":\"" + SECRET
                + "\",\"events\":[\"alarm.boom\"]}"), 400, "unknown event");
        assertProblem(server.post("/api/v1/webhooks", "{\"url\":\"https://x.example\",\"secret\":\"" + SECRET
                + "\",\"events\":\"alarm.raised\"}"), 400, "array");
        assertProblem(server.post("/api/v1/webhooks", "{\"url\":\"https://x.example\",\"secret\":\"" + SECRET
                + "\"}"), 400, "at least one");
        assertProblem(server.post("/api/v1/webhooks", "[]"), 400, "JSON object");
        assertProblem(server.get("/api/v1/webhooks/0123456789abcdef"), 404, "no webhook");
        assertProblem(server.get("/api/v1/webhooks/../devices"), 404, "");
        assertProblem(server.get("/api/v1/webhooks/" + id + "/deliveries?cursor=zz"), 400, "cursor");

        assertThat(server.delete("/api/v1/webhooks/" + id).statusCode()).isEqualTo(204);
        assertProblem(server.get("/api/v1/webhooks/" + id), 404, "");
    }

    static String register(TestPlatform server, String url, String... events) {
        String list = String.join("\",\"", events);
        HttpResponse<String> response = server.post("/api/v1/webhooks",
                "{\"url\":\"" + url + "\",\"secret\":\"" + SECRET + "\",\"events\":[\"" + list + "\"]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return TestPlatform.json(response).get("id").asText();
    }

    private static String register(String url, String... events) {
        return register(server, url, events);
    }

    static JsonNode find(JsonNode deliveries, String event) {
        for (JsonNode d : deliveries.get("items")) {
            if (d.get("event").asText().equals(event)) {
                return d;
            }
        }
        return null;
    }

    private static void publish(Mqtt5BlockingClient client, String chargerId) {
        client.publishWith().topic("telemetry/" + chargerId).qos(MqttQos.AT_LEAST_ONCE)
                .payload(MqttIngestIT.payload(chargerId, Instant.now().toString(), "{\"power\":1}")
                        .getBytes(StandardCharsets.UTF_8))
                .send();
    }

    /** A webhook receiver on loopback that records every request and can fail the first few with 500. */
    static final class Receiver implements AutoCloseable {
        record Request(String event, String signature, byte[] body, int status) {}

        final List<Request> requests = new CopyOnWriteArrayList<>();
        final AtomicInteger failFirst = new AtomicInteger();
        private final HttpServer http;

        private Receiver(HttpServer http) {
            this.http = http;
        }

        static Receiver start(int port) throws IOException {
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            Receiver receiver = new Receiver(http);
            http.createContext("/hook", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                int status = receiver.failFirst.getAndDecrement() > 0 ? 500 : 204;
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
                receiver.requests.add(new Request(exchange.getRequestHeaders().getFirst("X-Chargeline-Event"),
                        exchange.getRequestHeaders().getFirst("X-Chargeline-Signature"), body, status));
            });
            http.start();
            return receiver;
        }

        String url() {
            return "http://127.0.0.1:" + http.getAddress().getPort() + "/hook";
        }

        boolean accepted(String chargerId, String event) {
            return requests.stream().anyMatch(r -> r.status == 204 && event.equals(r.event)
                    && new String(r.body, StandardCharsets.UTF_8).contains("\"" + chargerId + "\""));
        }

        @Override
        public void close() {
            http.stop(0);
        }
    }
}
