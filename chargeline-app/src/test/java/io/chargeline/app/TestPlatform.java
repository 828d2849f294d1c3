package io.chargeline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The real platform in-process on free loopback ports, plus an HTTP client holding its admin key. */
final class TestPlatform implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ADMIN_KEY = "test-admin-key-0123456789";

    final Path dataDir;
    final Platform platform;
    private final HttpClient http = HttpClient.newHttpClient();

    TestPlatform(Path dataDir) {
        this(dataDir, PlatformConfig.DEFAULT_SILENCE_THRESHOLD);
    }

    TestPlatform(Path dataDir, Duration silenceThreshold) {
        this(dataDir, silenceThreshold, PlatformConfig.DEFAULT_MAX_ARTIFACT_BYTES);
    }

    TestPlatform(Path dataDir, Duration silenceThreshold, long maxArtifactBytes) {
        this(dataDir, silenceThreshold, maxArtifactBytes, List.of());
    }

    /** @param webhookAllow as {@code --webhook-allow}: receivers on loopback need {@code 127.0.0.0/8} */
    TestPlatform(Path dataDir, Duration silenceThreshold, long maxArtifactBytes, List<String> webhookAllow) {
        this.dataDir = dataDir;
        this.platform = Platform.start(new PlatformConfig(dataDir, "127.0.0.1", 0, 0, 0, List.of(), Duration.ofDays(3650),
                silenceThreshold, maxArtifactBytes, ADMIN_KEY, PlatformConfig.parseWebhookAllow(webhookAllow)));
    }

    int mqttPort() {
        return platform.mqttPort();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + platform.httpPort() + path);
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + ADMIN_KEY).GET());
    }

    HttpResponse<String> post(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + ADMIN_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> put(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + ADMIN_KEY)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).header("X-API-Key", ADMIN_KEY).DELETE());
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    /** Provisions a charger through the API (server-generated key). */
    Credentials provision(String chargerId) {
        HttpResponse<String> response = post("/api/v1/devices", "{\"chargerId\":\"" + chargerId + "\"}");
        if (response.statusCode() != 201) {
            throw new IllegalStateException("provisioning failed: " + response.statusCode() + " " + response.body());
        }
        JsonNode body = json(response);
        return new Credentials(chargerId, body.get("certificatePem").asText(), body.get("privateKeyPem").asText(),
                body.get("caCertificatePem").asText());
    }

    @Override
    public void close() {
        platform.close();
    }

    /** An RFC 9457 problem with this status whose detail says {@code detailContains}. */
    static void assertProblem(HttpResponse<String> response, int status, String detailContains) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("application/problem+json");
        assertThat(json(response).get("detail").asText()).contains(detailContains);
    }
}
