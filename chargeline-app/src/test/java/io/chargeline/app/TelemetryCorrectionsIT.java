package io.chargeline.app;

import static io.chargeline.app.TestPlatform.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Corrections and deletions of records a real MQTT client published, seen through history, latest and aggregates. */
class TelemetryCorrectionsIT {
    @TempDir
    static Path dataDir;

    static TestPlatform server;
    static Instant t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minusSeconds(3 * 3600);

    @BeforeAll
    static void start() {
        server = new TestPlatform(dataDir);
        for (String id : new String[] {"CH-c1", "CH-c2", "CH-c3", "CH-c4"}) {
            Mqtt5BlockingClient client = server.provision(id).mqtt5(server.mqttPort());
            client.connect();
            for (int i = 0; i < 6; i++) { // 10 minutes apart: every record in a minute and an hour of its own or so
                String payload = "{\"chargerId\":\"" + id + "\",\"timestamp\":\"" + t0.plusSeconds(600L * i)
                        + "\",\"data\":{\"power\":" + (i + 1) + ",\"meter\":{\"energy\":100}}}";
                client.publishWith().topic("telemetry/" + id).qos(MqttQos.AT_LEAST_ONCE)
                        .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
            }
            client.disconnect();
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String record(String id, Instant at) {
        return "/api/v1/chargers/" + id + "/telemetry/" + at;
    }

    private static double powerSum(String id) {
        JsonNode body = TestPlatform.json(server.get("/api/v1/chargers/" + id + "/telemetry/aggregate?field=power"
                + "&interval=P1D&fn=sum&from=" + t0.minusSeconds(86_400) + "&to=" + t0.plusSeconds(86_400)));
        return body.get("buckets").findValues("sum").stream().mapToDouble(JsonNode::asDouble).sum();
    }

    @Test
    void put_replacesTheData_setsUpdatedAt_andAggregatesFollow() {
        assertThat(powerSum("CH-c1")).isEqualTo(21);

        HttpResponse<String> put = server.put(record("CH-c1", t0.plusSeconds(600)), "{\"power\":10.50,\"note\":\"meter swap\"}");

        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(put.body()).contains("\"data\":{\"power\":10.50,\"note\":\"meter swap\"}");
        JsonNode history = TestPlatform.json(server.get("/api/v1/chargers/CH-c1/telemetry?from=" + t0.plusSeconds(600)
                + "&to=" + t0.plusSeconds(601)));
        assertThat(history.at("/items/0/metadata/updatedAt").isTextual()).isTrue();
        assertThat(history.at("/items/0/metadata/receivedAt").isTextual()).isTrue();
        assertThat(powerSum("CH-c1")).isEqualTo(21 - 2 + 10.5);
    }

    @Test
    void patch_mergesIntoTheData_nullRemovesAKey() {
        HttpResponse<String> patch = server.send(HttpRequest.newBuilder(server.uri(record("CH-c2", t0)))
                .header("Authorization", "Bearer " + TestPlatform.ADMIN_KEY)
                .header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"power\":null,\"meter\":{\"phase\":2},\"v\":230}")));

        assertThat(patch.statusCode()).as(patch.body()).isEqualTo(200);
        assertThat(TestPlatform.json(patch).get("data").toString())
                .isEqualTo("{\"meter\":{\"energy\":100,\"phase\":2},\"v\":230}");
        assertThat(powerSum("CH-c2")).isEqualTo(21 - 1);
    }

    @Test
    void delete_oneRecordThenARange_latestAndAggregatesFollow() {
        assertThat(server.delete(record("CH-c3", t0.plusSeconds(3000))).statusCode()).isEqualTo(204); // the newest
        assertProblem(server.delete(record("CH-c3", t0.plusSeconds(3000))), 404, "no record at");
        assertThat(TestPlatform.json(server.get("/telemetry/CH-c3")).at("/data/power").asInt()).isEqualTo(5);
        assertThat(powerSum("CH-c3")).isEqualTo(21 - 6);

        HttpResponse<String> range = server.delete("/api/v1/chargers/CH-c3/telemetry?from=" + t0.plusSeconds(600)
                + "&to=" + t0.plusSeconds(2400));

        assertThat(range.statusCode()).as(range.body()).isEqualTo(200);
        assertThat(TestPlatform.json(range).get("deleted").asLong()).isEqualTo(3);
        assertThat(powerSum("CH-c3")).isEqualTo(1 + 5);
        assertThat(TestPlatform.json(server.get("/api/v1/chargers/CH-c3/telemetry/count?from=" + t0.minusSeconds(1)
                + "&to=" + t0.plusSeconds(86_400))).get("count").asLong()).isEqualTo(2);
    }

    @Test
    void everyChange_isInTheAuditLog_withWhoFromWhereAndWhat_newestFirst() {
        server.put(record("CH-c4", t0.plusSeconds(1200)), "{\"power\":0}");
        server.delete(record("CH-c4", t0.plusSeconds(1800)));
        server.delete("/api/v1/chargers/CH-c4/telemetry?from=" + t0.plusSeconds(2400) + "&to=" + t0.plusSeconds(2401));

        JsonNode audit = TestPlatform.json(server.get("/api/v1/audit?limit=3"));

        JsonNode items = audit.get("items");
        assertThat(items).hasSize(3);
        assertThat(items.findValuesAsText("action"))
                .containsExactly("telemetry.delete", "telemetry.delete", "telemetry.replace");
        assertThat(items.get(0).get("detail").toString()).isEqualTo("{\"from\":\"" + t0.plusSeconds(2400).toString()
                .replace("Z", ".000Z") + "\",\"to\":\"" + t0.plusSeconds(2401).toString().replace("Z", ".000Z")
                + "\",\"count\":1}");
        assertThat(items.get(2).get("detail").get("timestamp").asText()).startsWith(t0.plusSeconds(1200).toString()
                .substring(0, 19));
        assertThat(items.get(1).get("actor").asText()).isEqualTo("admin");
        assertThat(items.get(1).get("address").asText()).isEqualTo("127.0.0.1");
        assertThat(items.get(1).get("chargerId").asText()).isEqualTo("CH-c4");
        assertThat(items.get(1).get("at").isTextual()).isTrue();
        assertProblem(server.get("/api/v1/audit?cursor=nonsense"), 400, "cursor");
    }

    @Test
    void badCorrections_sayWhatIsWrong() {
        assertProblem(server.put(record("CH-c1", t0), "[1,2]"), 400, "one JSON object");
        assertProblem(server.put(record("CH-c1", t0), "{\"power\":1,\"power\":2}"), 400, "Duplicate field");
        assertProblem(server.put(record("CH-c1", t0), "{\"power\":1e400}"), 400, "data.power is beyond");
        assertProblem(server.put(record("CH-c1", t0), "{\"power\":"), 400, "one JSON object");
        assertProblem(server.put("/api/v1/chargers/CH-c1/telemetry/yesterday", "{}"), 400, "ISO-8601");
        assertProblem(server.put(record("CH-c1", t0.plusMillis(1)), "{}"), 404, "no record at");
        assertProblem(server.put(record("CH-none", t0), "{}"), 404, "no record at");
        assertProblem(server.put(record("bad%20id", t0), "{}"), 400, "charger");
        assertProblem(server.delete("/api/v1/chargers/CH-c1/telemetry?from=" + t0), 400, "from and to are both required");
        assertProblem(server.delete("/api/v1/chargers/CH-c1/telemetry?from=" + t0 + "&to=" + t0), 400,
                "from must be before to");
        assertProblem(server.send(HttpRequest.newBuilder(server.uri(record("CH-c1", t0)))
                .method("PUT", HttpRequest.BodyPublishers.ofString("{}"))), 401, "");
        assertThat(server.get(record("CH-c1", t0)).statusCode()).isEqualTo(405);
        assertThat(powerSum("CH-c1")).isGreaterThan(0); // nothing above changed a record
    }
}
