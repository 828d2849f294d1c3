package io.chargeline.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/** The few Chargeline HTTP calls the tools make. */
public final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String apiKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public ApiClient(URI base, String apiKey) {
        this.base = base;
        this.apiKey = apiKey;
    }

    public boolean isHealthy() {
        try {
            return send(HttpRequest.newBuilder(base.resolve("/health")).GET()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** Provisions a charger from a CSR; returns the certificate PEM and the CA PEM. */
    public JsonNode provisionWithCsr(String chargerId, String csrPem) throws IOException {
        String body = JSON.createObjectNode().put("chargerId", chargerId).put("csrPem", csrPem).toString();
        HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/api/v1/devices"))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (response.statusCode() != 201) {
            throw new IOException("provisioning " + chargerId + " failed: HTTP " + response.statusCode() + " "
                    + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** Records the charger has in [from, to). */
    public long count(String chargerId, Instant from, Instant to) throws IOException {
        String query = "?from=" + URLEncoder.encode(from.toString(), StandardCharsets.UTF_8)
                + "&to=" + URLEncoder.encode(to.toString(), StandardCharsets.UTF_8);
        HttpResponse<String> response = send(HttpRequest.newBuilder(
                base.resolve("/api/v1/chargers/" + chargerId + "/telemetry/count" + query))
                .header("Authorization", "Bearer " + apiKey).GET());
        if (response.statusCode() != 200) {
            throw new IOException("count for " + chargerId + " failed: HTTP " + response.statusCode());
        }
        return JSON.readTree(response.body()).get("count").asLong();
    }

    /** GET of {@code pathAndQuery} with the API key; returns the status code (the body is read and dropped). */
    public int get(String pathAndQuery) throws IOException {
        return send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).header("Authorization", "Bearer " + apiKey).GET())
                .statusCode();
    }

    /** The Prometheus text of /metrics. */
    public String metrics() throws IOException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/metrics"))
                .header("Authorization", "Bearer " + apiKey).GET());
        if (response.statusCode() != 200) {
            throw new IOException("metrics failed: HTTP " + response.statusCode());
        }
        return response.body();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
