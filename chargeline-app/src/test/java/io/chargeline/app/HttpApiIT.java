package io.chargeline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.chargeline.pki.PemKeyStores;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The HTTP API's contract: auth, reference-compatible shapes, problem+json for every bad input. */
class HttpApiIT {
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
    void health_needsNoKey_andReportsComponents() {
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri("/health")).GET());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = TestPlatform.json(response);
        assertThat(body.get("status").asText()).isEqualTo("healthy");
        assertThat(body.get("components").fieldNames()).toIterable().contains("store", "pipeline", "gateway");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/telemetry/CH-1", "/api/v1/devices", "/api/v1/dead-letters", "/metrics",
        "/api/v1/chargers/CH-1/telemetry"})
    void everyEndpointButHealth_withoutKey_is401Problem(String path) {
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri(path)).GET());

        assertProblem(response, 401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }

    @Test
    void wrongKey_is401_inBothHeaderForms() {
        assertProblem(server.send(HttpRequest.newBuilder(server.uri("/api/v1/devices"))
                .header("Authorization", "Bearer not-the-key").GET()), 401);
        assertProblem(server.send(HttpRequest.newBuilder(server.uri("/api/v1/devices"))
                .header("X-API-Key", "not-the-key").GET()), 401);
    }

    @Test
    void latest_forUnknownCharger_isTheReference404Body() {
        HttpResponse<String> response = server.get("/telemetry/never-seen");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("{\"status\":\"not_found\",\"message\":\"No telemetry found for charger\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/telemetry/bad%20id",
        "/api/v1/chargers/CH-1/telemetry?limit=abc",
        "/api/v1/chargers/CH-1/telemetry?limit=0",
        "/api/v1/chargers/CH-1/telemetry?limit=1001",
        "/api/v1/chargers/CH-1/telemetry?from=yesterday",
        "/api/v1/chargers/CH-1/telemetry?from=2026-02-10T19:58:24",
        "/api/v1/chargers/CH-1/telemetry?from=2026-02-11T00:00:00Z&to=2026-02-10T00:00:00Z",
        "/api/v1/chargers/CH-1/telemetry?order=sideways",
        "/api/v1/chargers/CH-1/telemetry/count?to=2026-02-10T00:00:00Z&from=2026-02-10T00:00:00Z",
        "/api/v1/chargers/CH-1/telemetry/count?from=now",
        "/api/v1/chargers/CH-1/telemetry?cursor=forged",
        "/api/v1/dead-letters?limit=-1",
        "/api/v1/devices?cursor=../../etc"
    })
    void badParameter_is400Problem_namingTheParameter(String path) {
        assertProblem(server.get(path), 400);
    }

    @Test
    void history_acceptsOffsetsWithAnUnencodedPlus() {
        HttpResponse<String> response = server.get(
                "/api/v1/chargers/CH-1/telemetry?from=2026-02-10T21:00:00+02:00&to=2026-02-10T23:00:00%2B02:00");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestPlatform.json(response).get("items")).isEmpty();
        assertThat(TestPlatform.json(response).get("nextCursor").isNull()).isTrue();
    }

    @Test
    void unknownRoute_is404Problem() {
        assertProblem(server.get("/api/v1/nothing-here"), 404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[]", "{\"chargerId\":42}", "{\"chargerId\":\"a b\"}", "{}",
        "{\"chargerId\":\"CH-csr-bad\",\"csrPem\":\"-----BEGIN CERTIFICATE REQUEST-----\\nAAAA\\n-----END CERTIFICATE REQUEST-----\"}"})
    void createDevice_withBadBody_is400Problem(String body) {
        assertProblem(server.post("/api/v1/devices", body), 400);
    }

    @Test
    void createDevice_withOversizedBody_is413Problem() {
        String body = "{\"chargerId\":\"CH-big\",\"pad\":\"" + "x".repeat(130 * 1024) + "\"}";

        HttpResponse<String> response = server.post("/api/v1/devices", body);
        assertProblem(response, 413);
        assertThat(TestPlatform.json(response).get("detail").asText()).isEqualTo("request bodies are limited to 131072 bytes");
        assertThat(server.get("/api/v1/devices/CH-big").statusCode()).isEqualTo(404);
    }

    @Test
    void createDevice_twice_is409_untilRevoked() {
        server.provision("CH-twice");

        assertProblem(server.post("/api/v1/devices", "{\"chargerId\":\"CH-twice\"}"), 409);
        assertThat(server.delete("/api/v1/devices/CH-twice").statusCode()).isEqualTo(200);
        assertThat(server.post("/api/v1/devices", "{\"chargerId\":\"CH-twice\"}").statusCode()).isEqualTo(201);
    }

    @Test
    void revokeUnknownDevice_is404Problem() {
        assertProblem(server.delete("/api/v1/devices/CH-ghost"), 404);
    }

    @Test
    void createDevice_withCsr_returnsNoPrivateKey_andTheCertificateConnects() {
        KeyPair keys = PemKeyStores.newKeyPair();
        String body = TestPlatform.JSON.createObjectNode()
                .put("chargerId", "CH-csr")
                .put("csrPem", PemKeyStores.csr("CH-csr", keys))
                .toString();

        HttpResponse<String> response = server.post("/api/v1/devices", body);

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode created = TestPlatform.json(response);
        assertThat(created.has("privateKeyPem")).isFalse();
        String keyPem = PemKeyStores.privateKeyPem(keys.getPrivate());
        Credentials charger = new Credentials("CH-csr", created.get("certificatePem").asText(),
                keyPem, created.get("caCertificatePem").asText());
        Mqtt5BlockingClient client = charger.mqtt5(server.mqttPort());
        client.connect();
        client.disconnect();
    }

    @Test
    void devices_areListed_withStatus_andPaged() {
        for (String id : new String[] {"CH-list-a", "CH-list-b", "CH-list-c"}) {
            server.provision(id);
        }
        server.delete("/api/v1/devices/CH-list-b");

        Map<String, String> statuses = new LinkedHashMap<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = TestPlatform.json(server.get("/api/v1/devices?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)));
            page.get("items").forEach(d -> statuses.put(d.get("chargerId").asText(), d.get("status").asText()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
            pages++;
        } while (cursor != null);

        assertThat(pages).isGreaterThanOrEqualTo(2);
        assertThat(statuses.keySet()).filteredOn(id -> id.startsWith("CH-list-"))
                .containsExactly("CH-list-a", "CH-list-b", "CH-list-c");
        assertThat(statuses).containsEntry("CH-list-a", "active").containsEntry("CH-list-b", "revoked")
                .containsEntry("CH-list-c", "active");
    }

    @Test
    void metrics_areServedInPrometheusFormat() {
        HttpResponse<String> response = server.get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("chargeline_events_received_total", "chargeline_events_rejected_total{reason=\"FutureTimestamp\"}",
                "chargeline_events_stored_total", "chargeline_connected_devices", "chargeline_ingest_batch_latency_seconds");
    }

    private static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        JsonNode problem = TestPlatform.json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank();
    }
}
