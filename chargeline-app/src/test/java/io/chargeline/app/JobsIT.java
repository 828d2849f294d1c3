package io.chargeline.app;

import static io.chargeline.app.TestPlatform.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.chargeline.tools.bench.ApiClient;
import io.chargeline.tools.bench.Fleet;
import io.chargeline.tools.simulator.Simulator;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Update jobs end to end, rolled out to simulated chargers that download, verify, install and report. */
class JobsIT {
    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @TempDir
    static Path dir;

    static TestPlatform server;

    @BeforeAll
    static void start() {
        server = new TestPlatform(dir.resolve("data"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void job_updatesEveryTarget_andReportsProgressUntilCompleted() throws Exception {
        try (Simulator fleet = simulate("ok-", 3, 0)) {
            HttpResponse<String> created = server.post("/api/v1/jobs", job("\"chargerIds\":[\"ok-00000\",\"ok-00001\","
                    + "\"ok-00002\"]", "{\"maxPerMinute\":600}", null));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String jobId = TestPlatform.json(created).get("jobId").asText();
            assertThat(created.headers().firstValue("Location")).contains("/api/v1/jobs/" + jobId);

            JsonNode done = await().atMost(Duration.ofSeconds(30)).until(() -> job(jobId),
                    j -> j.get("status").asText().equals("COMPLETED"));
            assertThat(done.at("/counts/SUCCEEDED").asInt()).isEqualTo(3);
            assertThat(done.get("progress").asInt()).isEqualTo(100);
            assertThat(done.at("/targets/count").asInt()).isEqualTo(3);
            JsonNode executions = TestPlatform.json(server.get("/api/v1/jobs/" + jobId + "/executions"));
            assertThat(executions.get("items").findValuesAsText("status")).containsOnly("SUCCEEDED");
            assertThat(executions.get("items").findValuesAsText("progress")).containsOnly("100");
            String commandId = executions.at("/items/0/commandId").asText();
            JsonNode update = TestPlatform.json(server.get("/api/v1/chargers/ok-00000/commands/" + commandId));
            assertThat(update.get("name").asText()).isEqualTo("update");
            assertThat(update.at("/payload/version").asText()).isEqualTo("2.0.0");
            assertThat(update.get("transitions").findValuesAsText("status")).contains("IN_PROGRESS", "SUCCEEDED");
            await().atMost(Duration.ofSeconds(10)).until(() -> TestPlatform.json(server.get("/telemetry/ok-00002"))
                    .at("/data/firmware").asText().equals("2.0.0"));
            assertThat(TestPlatform.json(server.get("/api/v1/jobs")).get("items").findValuesAsText("jobId")).contains(jobId);
            assertThat(fleet.stats().commands()).isEqualTo(3);
            assertThat(server.get("/metrics").body()).contains("chargeline_jobs_running", "chargeline_job_executions{");
        }
    }

    @Test
    void failingUpdates_abortTheJob_andWhatHasNotStartedIsCancelled() throws Exception {
        try (Simulator fleet = simulate("bad-", 5, 1.0)) {
            String jobId = TestPlatform.json(server.post("/api/v1/jobs", job("\"chargerIds\":[\"bad-00000\",\"bad-00001\","
                    + "\"bad-00002\",\"bad-00003\",\"bad-00004\"]", "{\"maxPerMinute\":6000,\"batchSize\":2}",
                    "{\"failureRatio\":0.5,\"minExecuted\":2}"))).get("jobId").asText();

            // a third may start when the first fails, before the second does; it runs to its end
            JsonNode aborted = await().atMost(Duration.ofSeconds(30)).until(() -> job(jobId),
                    j -> j.get("status").asText().equals("ABORTED") && j.get("progress").asInt() == 100);
            assertThat(aborted.get("reason").asText()).contains("2 of 2 failed");
            assertThat(aborted.at("/counts/CANCELLED").asInt()).isGreaterThanOrEqualTo(2);
            assertThat(aborted.at("/counts/FAILED").asInt() + aborted.at("/counts/CANCELLED").asInt()).isEqualTo(5);
            JsonNode failed = TestPlatform.json(server.get("/api/v1/jobs/" + jobId + "/executions?status=failed"));
            assertThat(failed.get("items").findValuesAsText("detail")).containsOnly("sha256 mismatch");
            assertThat(failed.get("items").findValuesAsText("step")).containsOnly("verifying");
            assertThat(fleet.stats().commands()).isLessThan(5); // the cancelled ones never reached a charger
        }
    }

    @Test
    void chargersDownloadAnUploadedArtifact_withTheirCertificate_andCheckItsSha256() throws Exception {
        byte[] firmware = new byte[200 * 1024];
        new java.util.Random(3).nextBytes(firmware);
        JsonNode artifact = TestPlatform.json(server.send(java.net.http.HttpRequest.newBuilder(
                        server.uri("/api/v1/artifacts?name=fw-3.0.0.bin"))
                .header("Authorization", "Bearer " + TestPlatform.ADMIN_KEY)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(firmware))));
        try (Simulator fleet = simulate("dl-", 2, 0)) {
            String good = TestPlatform.json(server.post("/api/v1/jobs", "{\"type\":\"firmware\",\"version\":\"3.0.0\","
                    + "\"artifactId\":\"" + artifact.get("artifactId").asText() + "\",\"targets\":{\"chargerIds\":"
                    + "[\"dl-00000\"]},\"rollout\":{\"maxPerMinute\":600}}")).get("jobId").asText();
            // the same file announced with another checksum: the charger downloads it and must refuse it
            String tampered = TestPlatform.json(server.post("/api/v1/jobs", "{\"type\":\"firmware\",\"version\":\"3.0.1\","
                    + "\"url\":\"" + artifact.get("downloadUrl").asText() + "\",\"sha256\":\"" + "0".repeat(64) + "\","
                    + "\"targets\":{\"chargerIds\":[\"dl-00001\"]},\"rollout\":{\"maxPerMinute\":600}}")).get("jobId").asText();

            assertThat(await().atMost(Duration.ofSeconds(30)).until(() -> job(good),
                    j -> j.get("progress").asInt() == 100).get("status").asText()).isEqualTo("COMPLETED");
            JsonNode failed = await().atMost(Duration.ofSeconds(30)).until(() -> job(tampered),
                    j -> j.get("progress").asInt() == 100);
            assertThat(failed.at("/counts/FAILED").asInt()).isEqualTo(1);
            JsonNode execution = TestPlatform.json(server.get("/api/v1/jobs/" + tampered + "/executions")).at("/items/0");
            assertThat(execution.get("detail").asText()).isEqualTo("sha256 mismatch");
            JsonNode command = TestPlatform.json(server.get("/api/v1/chargers/dl-00001/commands/"
                    + execution.get("commandId").asText()));
            assertThat(command.at("/result/downloadedBytes").asLong()).isEqualTo(firmware.length);
            assertThat(fleet.stats().errors()).isZero();
        }
    }

    @Test
    void cancel_answersWithTheCancellationsCounted() {
        server.provision("offline-1");
        server.provision("offline-2");
        String jobId = TestPlatform.json(server.post("/api/v1/jobs", job("\"chargerIds\":[\"offline-1\",\"offline-2\"]",
                "{\"maxPerMinute\":600}", null))).get("jobId").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> job(jobId).at("/counts/QUEUED").asInt() == 2);

        HttpResponse<String> cancelled = server.post("/api/v1/jobs/" + jobId + "/cancel", "");

        assertThat(cancelled.statusCode()).isEqualTo(200);
        JsonNode body = TestPlatform.json(cancelled);
        assertThat(body.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(body.at("/counts/QUEUED").asInt()).isZero();
        assertThat(body.at("/counts/CANCELLED").asInt()).isEqualTo(2);
        assertThat(body.get("progress").asInt()).isEqualTo(100);
        assertThat(job(jobId).get("counts")).isEqualTo(body.get("counts"));
    }

    @Test
    void cancel_andBadRequests() {
        server.provision("idle-1");
        String jobId = TestPlatform.json(server.post("/api/v1/jobs", job("\"all\":true", "{\"maxPerMinute\":1}", null)))
                .get("jobId").asText();
        HttpResponse<String> cancelled = server.post("/api/v1/jobs/" + jobId + "/cancel", "");
        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(TestPlatform.json(cancelled).get("status").asText()).isEqualTo("CANCELLED");
        assertProblem(server.post("/api/v1/jobs/" + jobId + "/cancel", ""), 409, "already CANCELLED");

        assertProblem(server.post("/api/v1/jobs", "{}"), 400, "targets is required");
        assertProblem(server.post("/api/v1/jobs", job("\"chargerIds\":[\"nobody\"]", null, null)), 400,
                "not provisioned or revoked: nobody");
        assertProblem(server.post("/api/v1/jobs", job("\"chargerIds\":[],\"all\":true", null, null)), 400, "targets must be");
        assertProblem(server.post("/api/v1/jobs", job("\"all\":true", "{\"maxPerMinute\":0}", null)), 400, "maxPerMinute");
        assertProblem(server.post("/api/v1/jobs", job("\"all\":true", "{\"perHour\":5}", null)), 400, "unknown property perHour");
        assertProblem(server.post("/api/v1/jobs", job("\"all\":true", null, "{\"failureRatio\":\"high\"}")), 400,
                "abort.failureRatio must be a number");
        assertProblem(server.post("/api/v1/jobs", job("\"all\":true", null, null).replace("firmware", "bios")), 400,
                "type must be");
        assertProblem(server.post("/api/v1/jobs", job("\"all\":true", null, null).replace(SHA, "abc")), 400, "sha256");
        assertProblem(server.post("/api/v1/jobs", job("\"all\":true", null, null).replace("PT30M", "30m")), 400, "ISO-8601");
        assertProblem(server.get("/api/v1/jobs/0123456789abcdef"), 404, "no job");
        assertProblem(server.get("/api/v1/jobs/" + jobId + "/executions?status=done"), 400, "status must be one of");
        assertProblem(server.get("/api/v1/jobs?cursor=x"), 400, "cursor");
    }

    private static Simulator simulate(String prefix, int chargers, double failureRate) throws Exception {
        ApiClient api = new ApiClient(server.uri("/"), TestPlatform.ADMIN_KEY);
        Fleet fleet = Fleet.provision(api, prefix, chargers, dir.resolve("fleet-" + prefix));
        Simulator simulator = new Simulator(new Simulator.Settings("127.0.0.1", server.mqttPort(), Duration.ofMillis(500),
                Duration.ofMillis(50), 0, failureRate), fleet, Clock.systemUTC());
        simulator.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> simulator.stats().connected() == chargers
                && simulator.stats().acked() >= chargers);
        return simulator;
    }

    private static String job(String targets, String rollout, String abort) {
        return "{\"type\":\"firmware\",\"version\":\"2.0.0\",\"url\":\"https://updates.example.com/fw-2.0.0.bin\","
                + "\"sha256\":\"" + SHA + "\",\"size\":1048576,\"targets\":{" + targets + "}"
                + (rollout == null ? "" : ",\"rollout\":" + rollout) + (abort == null ? "" : ",\"abort\":" + abort)
                + ",\"timeout\":\"PT30M\"}";
    }

    private static JsonNode job(String jobId) {
        return TestPlatform.json(server.get("/api/v1/jobs/" + jobId));
    }
}
