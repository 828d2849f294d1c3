package io.chargeline.app;

import static io.chargeline.app.TestPlatform.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.chargeline.pki.PemKeyStores;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Update artifacts: uploaded by operators, downloaded by chargers over mutual TLS, with ranges. */
class ArtifactsIT {
    private static final long LIMIT = 512 * 1024;

    @TempDir
    static Path dir;

    static TestPlatform server;

    @BeforeAll
    static void start() {
        server = new TestPlatform(dir.resolve("data"), PlatformConfig.DEFAULT_SILENCE_THRESHOLD, LIMIT);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void uploaded_isDownloadableByChargers_wholeOrByRange_andUsableInAJob() throws Exception {
        byte[] firmware = new byte[300 * 1024];
        new Random(7).nextBytes(firmware);
        HttpResponse<String> uploaded = upload("fw-2.0.0.bin", firmware);
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        JsonNode artifact = TestPlatform.json(uploaded);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(firmware));
        assertThat(artifact.get("sha256").asText()).isEqualTo(sha256);
        assertThat(artifact.get("size").asLong()).isEqualTo(firmware.length);
        String url = artifact.get("downloadUrl").asText();
        assertThat(url).startsWith("https://127.0.0.1:" + server.platform.deviceHttpPort() + "/device/v1/artifacts/");

        Credentials charger = server.provision("CH-ART-1");
        HttpClient device = client(charger.sslContext());
        HttpResponse<byte[]> whole = device.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(firmware);
        assertThat(whole.headers().firstValue("ETag")).contains("\"" + sha256 + "\"");
        HttpResponse<byte[]> part = device.send(HttpRequest.newBuilder(URI.create(url)).header("Range", "bytes=1000-1999")
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(firmware, 1000, 2000));
        assertThat(part.headers().firstValue("Content-Range")).contains("bytes 1000-1999/" + firmware.length);
        HttpResponse<byte[]> resume = device.send(HttpRequest.newBuilder(URI.create(url)).header("Range", "bytes=300000-")
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(resume.statusCode()).isEqualTo(206);
        assertThat(resume.body()).isEqualTo(Arrays.copyOfRange(firmware, 300000, firmware.length));
        HttpResponse<byte[]> beyond = device.send(HttpRequest.newBuilder(URI.create(url))
                .header("Range", "bytes=" + firmware.length + "-").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range")).contains("bytes */" + firmware.length);

        HttpResponse<String> job = server.post("/api/v1/jobs", "{\"type\":\"firmware\",\"version\":\"2.0.0\","
                + "\"artifactId\":\"" + artifact.get("artifactId").asText() + "\",\"targets\":{\"chargerIds\":[\"CH-ART-1\"]}}");
        assertThat(job.statusCode()).as(job.body()).isEqualTo(201);
        assertThat(TestPlatform.json(job).get("url").asText()).isEqualTo(url);
        assertThat(TestPlatform.json(job).get("sha256").asText()).isEqualTo(sha256);
        assertThat(TestPlatform.json(job).get("size").asLong()).isEqualTo(firmware.length);
        String artifactId = artifact.get("artifactId").asText();
        assertProblem(server.delete("/api/v1/artifacts/" + artifactId), 409, "in use by a running job");
        server.post("/api/v1/jobs/" + TestPlatform.json(job).get("jobId").asText() + "/cancel", "");
        // once the cancelled job has nothing running any more (its charger never connected), the file may go
        await().atMost(Duration.ofSeconds(10)).until(() -> server.delete("/api/v1/artifacts/" + artifactId).statusCode() == 204);
    }

    @Test
    void onlyProvisionedChargers_mayDownload() throws Exception {
        String url = TestPlatform.json(upload("fw.bin", new byte[] {1, 2, 3})).get("downloadUrl").asText();
        Credentials revoked = server.provision("CH-ART-2");
        server.delete("/api/v1/devices/CH-ART-2");
        HttpResponse<String> operator = server.post("/api/v1/operators", "{\"name\":\"ops-art\"}");
        JsonNode op = TestPlatform.json(operator);
        Credentials operatorCert = new Credentials("operator:ops-art", op.get("certificatePem").asText(),
                op.get("privateKeyPem").asText(), op.get("caCertificatePem").asText());

        assertThat(get(client(revoked.sslContext()), url).statusCode()).isEqualTo(403);
        HttpResponse<String> forbidden = get(client(operatorCert.sslContext()), url);
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.body()).contains("not a provisioned charger");
        SSLContext trustOnly = SSLContext.getInstance("TLS");
        trustOnly.init(null, PemKeyStores.trustManagers(revoked.caPem()).getTrustManagers(), null);
        assertThatThrownBy(() -> get(client(trustOnly), url)).isInstanceOf(IOException.class);
        Credentials good = server.provision("CH-ART-3");
        HttpResponse<String> missing = get(client(good.sslContext()), url.replaceAll("[0-9a-f]{16}$", "0123456789abcdef"));
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).get().asString().startsWith("application/problem+json");
    }

    @Test
    void badUploads_leaveNothingBehind() throws Exception {
        assertProblem(upload("", new byte[] {1}), 400, "name is required");
        assertProblem(upload("..", new byte[] {1}), 400, "not ..");
        assertProblem(upload(".", new byte[] {1}), 400, "not .");
        assertProblem(upload("../etc/passwd", new byte[] {1}), 400, "without / or \\");
        assertProblem(upload("..%5Cboot.ini", new byte[] {1}), 400, "without / or \\");
        assertProblem(upload("fw%00.bin", new byte[] {1}), 400, "control or invisible characters (U+0000)");
        assertProblem(upload("fw%0D%0A.bin", new byte[] {1}), 400, "control or invisible characters (U+000D)");
        assertProblem(upload("fw%E2%80%AEnib.exe", new byte[] {1}), 400, "control or invisible characters (U+202E)");
        assertProblem(upload("fw%FF.bin", new byte[] {1}), 400, "UTF-8");
        assertProblem(upload("empty.bin", new byte[0]), 400, "empty");
        HttpResponse<String> tooLarge = upload("big.bin", new byte[(int) LIMIT + 1]);
        assertProblem(tooLarge, 413, "limited to " + LIMIT + " bytes");
        try (var files = Files.list(dir.resolve("data").resolve("artifacts"))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".upload-"));
        }

        String id = TestPlatform.json(upload("gone.bin", new byte[] {9})).get("artifactId").asText();
        assertThat(server.delete("/api/v1/artifacts/" + id).statusCode()).isEqualTo(204);
        assertProblem(server.get("/api/v1/artifacts/" + id), 404, "no artifact");
        assertProblem(server.post("/api/v1/jobs", "{\"type\":\"firmware\",\"version\":\"1\",\"artifactId\":\"" + id
                + "\",\"targets\":{\"all\":true}}"), 400, "artifactId: no artifact");
        assertProblem(server.post("/api/v1/jobs", "{\"type\":\"firmware\",\"version\":\"1\",\"artifactId\":\"" + id
                + "\",\"url\":\"https://x/y\",\"targets\":{\"all\":true}}"), 400, "either artifactId or url");
        assertThat(TestPlatform.json(server.get("/api/v1/artifacts")).get("items").findValuesAsText("artifactId"))
                .doesNotContain(id);
        assertThat(TestPlatform.json(server.get("/api/v1/artifacts?limit=1000")).get("items").findValuesAsText("name"))
                .doesNotContain("..", ".", "fw\u0000.bin");
    }

    private static HttpResponse<String> upload(String name, byte[] body) {
        return server.send(HttpRequest.newBuilder(server.uri("/api/v1/artifacts?name=" + name))
                .header("Authorization", "Bearer " + TestPlatform.ADMIN_KEY)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private static HttpClient client(SSLContext tls) {
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
