package io.chargeline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTP itself on both ports: HEAD answers as GET does without the body, other methods get 405 with Allow, and
 * every error, also those Jetty produces before the API sees the request, is problem+json.
 */
class HttpProtocolIT {
    private static final byte[] FIRMWARE = "firmware bytes, version 2".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    static Path dataDir;

    static TestPlatform server;
    static Credentials charger;
    static HttpClient device;

    @BeforeAll
    static void start() {
        server = new TestPlatform(dataDir);
        charger = server.provision("CH-H1");
        device = HttpClient.newBuilder().sslContext(charger.sslContext()).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/health", "/telemetry/CH-H1", "/api/v1/devices", "/api/v1/devices/CH-H1",
        "/api/v1/devices/CH-missing", "/api/v1/chargers", "/api/v1/chargers/CH-H1", "/api/v1/chargers/CH-H1/settings",
        "/api/v1/chargers/CH-H1/presence", "/api/v1/chargers/CH-H1/commands", "/api/v1/chargers/CH-H1/telemetry",
        "/api/v1/chargers/CH-H1/telemetry/count?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z",
        "/api/v1/artifacts", "/api/v1/jobs", "/api/v1/alarms", "/api/v1/alarm-rules", "/api/v1/webhooks",
        "/api/v1/dead-letters", "/api/v1/devices?limit=0"})
    void head_ofAGetRoute_hasTheStatusAndHeadersOfGet_withoutTheBody(String path) {
        HttpResponse<String> get = server.get(path);
        HttpResponse<String> head = server.send(authorized(path).method("HEAD", HttpRequest.BodyPublishers.noBody()));

        assertThat(head.statusCode()).isEqualTo(get.statusCode());
        assertThat(head.headers().firstValue("Content-Type")).isEqualTo(get.headers().firstValue("Content-Type"));
        assertThat(head.headers().firstValueAsLong("Content-Length"))
                .hasValue(get.body().getBytes(StandardCharsets.UTF_8).length);
        assertThat(get.body()).isNotEmpty();
        assertThat(head.body()).isEmpty();
    }

    @Test
    void head_ofMetrics_isThePrometheusDocumentsHeaders() {
        HttpResponse<String> head = server.send(authorized("/metrics").method("HEAD", HttpRequest.BodyPublishers.noBody()));

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain; version=0.0.4");
        assertThat(head.headers().firstValueAsLong("Content-Length").orElse(0)).isPositive();
        assertThat(head.body()).isEmpty();
    }

    @Test
    void head_whereThereIsNoGet_is405_withAllow() {
        HttpResponse<String> head = server.send(authorized("/api/v1/jobs/0123456789abcdef/cancel")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));

        assertThat(head.statusCode()).isEqualTo(405);
        assertThat(head.headers().firstValue("Allow")).contains("POST");
        assertThat(head.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(head.body()).isEmpty();
    }

    @Test
    void unsupportedMethod_is405Problem_listingTheAllowedOnes() {
        HttpResponse<String> put = server.put("/api/v1/devices", "{}");

        TestPlatform.assertProblem(put, 405, "PUT is not supported on /api/v1/devices");
        assertThat(put.headers().firstValue("Allow")).hasValueSatisfying(
                allow -> assertThat(allow.split(", ")).containsExactlyInAnyOrder("GET", "HEAD", "POST"));
    }

    @Test
    void artifactDownload_head_hasTheSizeETagAndRanges_ofGet() throws Exception {
        String url = upload("fw-2.0.0.bin");

        HttpResponse<byte[]> get = device.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> head = device.send(HttpRequest.newBuilder(URI.create(url))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(get.body()).isEqualTo(FIRMWARE);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(FIRMWARE.length);
        assertThat(head.headers().firstValue("ETag")).contains("\"" + sha256() + "\"");
        assertThat(head.headers().firstValue("Accept-Ranges")).contains("bytes");
        for (String header : new String[] {"Content-Length", "Content-Type", "ETag", "Accept-Ranges", "Content-Disposition",
            "X-Checksum-SHA256"}) {
            assertThat(head.headers().allValues(header)).as(header).isEqualTo(get.headers().allValues(header)).isNotEmpty();
        }
        HttpResponse<byte[]> range = device.send(HttpRequest.newBuilder(URI.create(url)).header("Range", "bytes=9-13")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("Content-Range")).contains("bytes 9-13/" + FIRMWARE.length);
        assertThat(range.headers().firstValueAsLong("Content-Length")).hasValue(5);
    }

    @Test
    void artifactDownload_withItsETagInIfNoneMatch_is304_andAnotherTagGetsTheFile() throws Exception {
        String url = upload("fw-cached.bin");
        String etag = "\"" + sha256() + "\"";

        HttpResponse<byte[]> cached = device.send(HttpRequest.newBuilder(URI.create(url))
                .header("If-None-Match", "\"older\", " + etag).build(), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> changed = device.send(HttpRequest.newBuilder(URI.create(url))
                .header("If-None-Match", "\"older\"").build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(cached.statusCode()).isEqualTo(304);
        assertThat(cached.body()).isEmpty();
        assertThat(cached.headers().firstValue("ETag")).contains(etag);
        assertThat(cached.headers().firstValueAsLong("Content-Length")).hasValue(FIRMWARE.length);
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.body()).isEqualTo(FIRMWARE);
    }

    @Test
    void artifactDownload_ofANonAsciiName_carriesAnAsciiFallbackAndTheUtf8Name() throws Exception {
        String url = upload("Pr%C3%BCfung%20%22final%22.bin"); // Prüfung "final".bin

        HttpResponse<byte[]> get = device.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(get.headers().firstValue("Content-Disposition")).contains(
                "attachment; filename=\"Pr_fung \\\"final\\\".bin\"; filename*=UTF-8''Pr%C3%BCfung%20%22final%22.bin");
    }

    @Test
    void devicePort_unknownRoute_is404Problem() throws Exception {
        HttpResponse<String> response = device.send(HttpRequest.newBuilder(URI.create(devicePortUrl("/device/v1/nothing")))
                .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> outside = device.send(HttpRequest.newBuilder(URI.create(devicePortUrl("/nothing")))
                .build(), HttpResponse.BodyHandlers.ofString());

        TestPlatform.assertProblem(response, 404, "no such endpoint: GET /device/v1/nothing");
        TestPlatform.assertProblem(outside, 404, "no such endpoint: GET /nothing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"api", "device"})
    void requestRefusedByJetty_isProblemJson_onBothPorts(String port) throws Exception {
        // the API takes 64 KiB of request line and headers (fleet queries name many chargers), the device port 8 KiB
        int beyondLimit = (port.equals("api") ? 65 : 9) * 1024;
        String query = "x=" + "a".repeat(beyondLimit);
        String header = "X-Padding: " + "a".repeat(beyondLimit);

        assertRawProblem(raw(port, "GET /api/v1/devices?" + query, ""), 414, "longer than the server accepts");
        assertRawProblem(raw(port, "GET /api/v1/devices", header + "\r\n"), 431, "larger than the server accepts");
        assertRawProblem(raw(port, "GET /api/v1/devices/%00", ""), 400, "malformed");
        assertRawProblem(raw(port, "DELETE /api/v1/devices/%FF", ""), 400, "UTF-8");
    }

    private static void assertRawProblem(RawResponse response, int status, String detailContains) throws IOException {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().get("content-type")).startsWith("application/problem+json");
        JsonNode problem = TestPlatform.JSON.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).contains(detailContains);
        assertThat(problem.get("code").asText()).isEqualTo("http_" + status);
    }

    /** A request written byte for byte, as an HTTP client library would refuse to send it. */
    private static RawResponse raw(String port, String requestLine, String extraHeaders) throws IOException {
        SSLContext tls = charger.sslContext();
        try (Socket socket = port.equals("api")
                ? new Socket("127.0.0.1", server.platform.httpPort())
                : tls.getSocketFactory().createSocket("127.0.0.1", server.platform.deviceHttpPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((requestLine + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: " + TestPlatform.ADMIN_KEY + "\r\n"
                    + extraHeaders + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return RawResponse.parse(readAll(socket.getInputStream()));
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private record RawResponse(int status, Map<String, String> headers, String body) {
        static RawResponse parse(String text) {
            int end = text.indexOf("\r\n\r\n");
            String[] lines = text.substring(0, end).split("\r\n");
            Map<String, String> headers = new HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            return new RawResponse(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4));
        }
    }

    private static String upload(String encodedName) {
        HttpResponse<String> uploaded = server.send(authorized("/api/v1/artifacts?name=" + encodedName)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(FIRMWARE)));
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        return TestPlatform.json(uploaded).get("downloadUrl").asText();
    }

    private static String devicePortUrl(String path) {
        return "https://127.0.0.1:" + server.platform.deviceHttpPort() + path;
    }

    private static HttpRequest.Builder authorized(String path) {
        return HttpRequest.newBuilder(server.uri(path)).header("Authorization", "Bearer " + TestPlatform.ADMIN_KEY);
    }

    private static String sha256() throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(FIRMWARE));
    }
}
