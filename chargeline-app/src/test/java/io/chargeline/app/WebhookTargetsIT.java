package io.chargeline.app;

import static io.chargeline.app.TestPlatform.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which addresses webhooks may reach, on the real platform: by default not the server, its network or loopback. */
class WebhookTargetsIT {
    private static final String SECRET = "receiver-shared-secret-42";

    @TempDir
    Path dataDir;

    @Test
    void registration_refusesTheServerItself_theMetadataService_andAnOverlongUrl() {
        try (TestPlatform server = new TestPlatform(dataDir)) {
            assertProblem(post(server, "http://127.0.0.1:8080/api/v1/devices"), 400,
                    "127.0.0.1 is a loopback address (127.0.0.0/8)");
            assertProblem(post(server, "http://127.0.0.1:" + server.platform.httpPort() + "/api/v1/devices"), 400,
                    "127.0.0.1 is a loopback address");
            assertProblem(post(server, "http://169.254.169.254/latest/meta-data"), 400,
                    "169.254.169.254 is a link-local (cloud metadata) address (169.254.0.0/16)");
            assertProblem(post(server, "http://[::ffff:169.254.169.254]/latest/meta-data"), 400, "169.254.0.0/16");
            assertProblem(post(server, "http://localhost:" + server.platform.httpPort() + "/"), 400,
                    "localhost resolves to");
            String prefix = "https://203.0.113.10/";
            assertProblem(post(server, prefix + "a".repeat(5_000 - prefix.length())), 400,
                    "url must be at most 2048 characters, was 5000");

            assertThat(TestPlatform.json(server.get("/api/v1/webhooks")).get("items")).isEmpty();
        }
    }

    @Test
    void aLoopbackReceiver_getsDeliveriesOnlyWhileTheOperatorAllowsLoopback() throws Exception {
        try (WebhooksIT.Receiver receiver = WebhooksIT.Receiver.start(0)) {
            String hookId;
            Credentials charger;
            try (TestPlatform allowing = new TestPlatform(dataDir, PlatformConfig.DEFAULT_SILENCE_THRESHOLD,
                    PlatformConfig.DEFAULT_MAX_ARTIFACT_BYTES, List.of("127.0.0.0/8"))) {
                hookId = WebhooksIT.register(allowing, receiver.url(), "charger.online");
                charger = allowing.provision("CH-TARGET-1");
                connectAndLeave(charger, allowing);
                await().atMost(Duration.ofSeconds(30)).until(() -> receiver.accepted(charger.chargerId(), "charger.online"));
                await().atMost(Duration.ofSeconds(10)).until(() -> "DELIVERED".equals(onlineDelivery(allowing, hookId)
                        .get("state").asText()));
            }
            int receivedWhileAllowed = receiver.requests.size();

            // the same data directory, the webhook stored before; the operator no longer allows loopback
            try (TestPlatform refusing = new TestPlatform(dataDir)) {
                connectAndLeave(charger, refusing);

                JsonNode refused = await().atMost(Duration.ofSeconds(30)).until(() -> onlineDelivery(refusing, hookId),
                        d -> d.get("state").asText().equals("FAILED"));
                assertThat(refused.get("attempts").asInt()).isZero();
                assertThat(refused.get("nextAttemptAt").isNull()).as("no retry").isTrue();
                assertThat(refused.get("lastError").asText())
                        .startsWith("refused: 127.0.0.1 is a loopback address (127.0.0.0/8)")
                        .doesNotContain(SECRET);
                assertThat(receiver.requests).hasSize(receivedWhileAllowed);
                assertThat(refusing.get("/metrics").body())
                        .contains("chargeline_webhook_deliveries_total{outcome=\"refused\"} 1.0")
                        .contains("chargeline_webhook_pending 0.0");
            }
        }
    }

    private static void connectAndLeave(Credentials charger, TestPlatform server) {
        Mqtt5BlockingClient client = charger.mqtt5(server.mqttPort());
        client.connect();
        client.disconnect();
    }

    /** The newest charger.online delivery of the webhook. */
    private static JsonNode onlineDelivery(TestPlatform server, String hookId) {
        return WebhooksIT.find(TestPlatform.json(server.get("/api/v1/webhooks/" + hookId + "/deliveries")),
                "charger.online");
    }

    private static HttpResponse<String> post(TestPlatform server, String url) {
        return server.post("/api/v1/webhooks", "{\"url\":\"" + url + "\",\"secret\":\"" + SECRET
                + "\",\"events\":[\"alarm.raised\"]}");
    }
}
