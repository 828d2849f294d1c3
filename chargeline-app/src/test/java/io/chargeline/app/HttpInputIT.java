package io.chargeline.app;

import static io.chargeline.app.TestPlatform.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One rule for every request body (strict JSON) and for every list (opaque cursors, one limit range). */
class HttpInputIT {
    private static final String SHA = "a".repeat(64);
    private static final int CREATED = 5;

    @TempDir
    static Path dataDir;

    static TestPlatform server;
    static String jobId;
    static String webhookId;

    @BeforeAll
    static void start() {
        // webhooks point at a closed loopback port: registered, never reaching beyond this machine
        server = new TestPlatform(dataDir, PlatformConfig.DEFAULT_SILENCE_THRESHOLD,
                PlatformConfig.DEFAULT_MAX_ARTIFACT_BYTES, List.of("127.0.0.0/8"));
        server.provision("CH-L1");
        for (int i = 0; i < CREATED; i++) {
            server.provision("CH-W" + i);
            created(server.post("/api/v1/operators", "{\"name\":\"op-w" + i + "\"}"));
            created(server.post("/api/v1/alarm-rules", "{\"field\":\"f" + i + "\",\"op\":\">\",\"value\":" + i + "}"));
            webhookId = created(server.post("/api/v1/webhooks", "{\"url\":\"http://127.0.0.1:9/hook" + i
                    + "\",\"secret\":\"receiver-shared-secret-42\",\"events\":[\"alarm.raised\"]}")).get("id").asText();
            created(server.send(HttpRequest.newBuilder(server.uri("/api/v1/artifacts?name=fw-" + i + ".bin"))
                    .header("Authorization", "Bearer " + TestPlatform.ADMIN_KEY)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {(byte) i}))));
            created(server.post("/api/v1/chargers/CH-L1/commands", "{\"name\":\"reboot\"}"));
        }
        for (int i = 0; i < 3; i++) {
            jobId = created(server.post("/api/v1/jobs", job())).get("jobId").asText();
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // ---- request bodies

    /** Every route that takes a JSON body, with a body it accepts and a witness that shows what it changes. */
    static Stream<BodyRoute> bodyRoutes() {
        return Stream.of(
                new BodyRoute("POST", "/api/v1/devices", "{\"chargerId\":\"CH-J1\"}", "/api/v1/devices"),
                new BodyRoute("POST", "/api/v1/operators", "{\"name\":\"op-j1\"}", "/api/v1/operators"),
                new BodyRoute("POST", "/api/v1/alarm-rules", "{\"field\":\"t\",\"op\":\">\",\"value\":1}",
                        "/api/v1/alarm-rules"),
                new BodyRoute("POST", "/api/v1/webhooks", "{\"url\":\"http://127.0.0.1:9/j1\","
                        + "\"secret\":\"receiver-shared-secret-42\",\"events\":[\"alarm.raised\"]}", "/api/v1/webhooks"),
                new BodyRoute("POST", "/api/v1/chargers/CH-L1/commands", "{\"name\":\"reboot\",\"ttl\":\"PT1M\"}",
                        "/api/v1/chargers/CH-L1/commands"),
                new BodyRoute("PUT", "/api/v1/chargers/CH-L1/settings", "{\"silenceThreshold\":\"PT2M\"}",
                        "/api/v1/chargers/CH-L1/settings"),
                new BodyRoute("POST", "/api/v1/jobs", job(), "/api/v1/jobs"),
                new BodyRoute("POST", "/api/v1/alarms/0123456789abcdef/ack", "{\"by\":\"ops\"}", "/api/v1/alarms"));
    }

    static Stream<Arguments> bodyRoutesWithDefects() {
        return bodyRoutes().flatMap(route -> Stream.of(
                Arguments.of(route, route.validBody() + "GARBAGE", "content after the JSON object"),
                Arguments.of(route, route.validBody() + " trailing", "content after the JSON object"),
                Arguments.of(route, route.validBody() + "{}", "content after the JSON object"),
                Arguments.of(route, route.withFirstPropertyTwice(), "Duplicate field"),
                Arguments.of(route, route.withUnknownProperty(), "unknown property unknownProperty")));
    }

    @ParameterizedTest
    @MethodSource("bodyRoutesWithDefects")
    void body_withTrailingContentDuplicateKeyOrUnknownProperty_is400_andChangesNothing(BodyRoute route, String body,
            String detail) {
        String before = witness(route);

        assertProblem(route.send(body), 400, detail);

        assertThat(witness(route)).isEqualTo(before);
    }

    @ParameterizedTest
    @MethodSource("bodyRoutes")
    void body_thatIsValid_isNotRefused(BodyRoute route) {
        // the counterpart of the test above: the same bodies without the defect pass the JSON check
        HttpResponse<String> response = route.send(route.validBody());

        assertThat(response.statusCode()).as(response.body()).isIn(200, 201, 202, 404);
    }

    /** What a route could change: the ids in its list, or the whole document for settings. */
    private static String witness(BodyRoute route) {
        JsonNode body = TestPlatform.json(server.get(route.witness()));
        return body.has("items") ? String.valueOf(body.get("items").size()) : body.toString();
    }

    record BodyRoute(String method, String path, String validBody, String witness) {
        HttpResponse<String> send(String body) {
            return server.send(HttpRequest.newBuilder(server.uri(path))
                    .header("Authorization", "Bearer " + TestPlatform.ADMIN_KEY)
                    .header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body)));
        }

        String withFirstPropertyTwice() {
            String first = validBody.substring(1, validBody.indexOf(',') > 0 ? validBody.indexOf(',') : validBody.length() - 1);
            return "{" + first + "," + validBody.substring(1);
        }

        String withUnknownProperty() {
            return validBody.substring(0, validBody.length() - 1) + ",\"unknownProperty\":1}";
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    // ---- lists

    static Stream<String> listRoutes() {
        return Stream.of("/api/v1/devices", "/api/v1/operators", "/api/v1/chargers", "/api/v1/chargers/CH-L1/commands",
                "/api/v1/chargers/CH-L1/telemetry", "/api/v1/chargers/CH-L1/presence", "/api/v1/artifacts",
                "/api/v1/jobs", "/api/v1/jobs/" + jobId + "/executions", "/api/v1/alarms", "/api/v1/alarm-rules",
                "/api/v1/webhooks", "/api/v1/webhooks/" + webhookId + "/deliveries", "/api/v1/dead-letters");
    }

    static Stream<Arguments> listRoutesWithBadParameters() {
        return listRoutes().flatMap(path -> Stream.of(
                Arguments.of(path, "cursor=garbage", "cursor is not one this server issued"),
                Arguments.of(path, "cursor=AAAA", "cursor is not one this server issued"),
                Arguments.of(path, "limit=0", "limit must be an integer from 1 to 1000"),
                Arguments.of(path, "limit=-1", "limit must be an integer from 1 to 1000"),
                Arguments.of(path, "limit=100000", "limit must be an integer from 1 to 1000"),
                Arguments.of(path, "limit=abc", "limit must be an integer from 1 to 1000")));
    }

    @ParameterizedTest
    @MethodSource("listRoutesWithBadParameters")
    void list_withACursorItDidNotIssueOrALimitOutOfRange_is400(String path, String parameter, String detail) {
        assertProblem(server.get(path + "?" + parameter), 400, detail);
    }

    @ParameterizedTest
    @MethodSource("listRoutes")
    void list_atTheEndsOfTheLimitRange_isServed(String path) {
        assertThat(server.get(path + "?limit=1").statusCode()).isEqualTo(200);
        assertThat(server.get(path + "?limit=1000").statusCode()).isEqualTo(200);
    }

    static Stream<Arguments> pagedLists() {
        return Stream.of(Arguments.of("/api/v1/devices", "chargerId"), Arguments.of("/api/v1/operators", "name"),
                Arguments.of("/api/v1/chargers", "chargerId"), Arguments.of("/api/v1/chargers/CH-L1/commands", "commandId"),
                Arguments.of("/api/v1/artifacts", "artifactId"), Arguments.of("/api/v1/jobs", "jobId"),
                Arguments.of("/api/v1/jobs/" + jobId + "/executions", "chargerId"),
                Arguments.of("/api/v1/alarm-rules", "id"), Arguments.of("/api/v1/webhooks", "id"));
    }

    @ParameterizedTest
    @MethodSource("pagedLists")
    void list_walkedWithTheCursorsItReturns_visitsEveryItemExactlyOnce(String path, String idField) {
        List<String> walked = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = TestPlatform.json(server.get(path + "?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)));
            page.get("items").forEach(item -> walked.add(item.get(idField).asText()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
            pages++;
        } while (cursor != null && pages < 100);
        List<String> all = new ArrayList<>();
        TestPlatform.json(server.get(path + "?limit=1000")).get("items").forEach(item -> all.add(item.get(idField).asText()));

        assertThat(all).hasSizeGreaterThanOrEqualTo(3);
        assertThat(pages).isGreaterThanOrEqualTo(2);
        assertThat(walked).doesNotHaveDuplicates().containsExactlyElementsOf(all);
    }

    private static String job() {
        return "{\"type\":\"firmware\",\"version\":\"2.0.0\",\"url\":\"https://updates.example.com/fw.bin\",\"sha256\":\""
                + SHA + "\",\"size\":1024,\"targets\":{\"chargerIds\":[\"CH-W0\",\"CH-W1\",\"CH-W2\",\"CH-W3\",\"CH-W4\"]}}";
    }

    private static JsonNode created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isIn(201, 202);
        return TestPlatform.json(response);
    }
}
