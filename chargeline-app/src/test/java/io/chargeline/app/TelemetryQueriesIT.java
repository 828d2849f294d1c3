package io.chargeline.app;

import static io.chargeline.app.TestPlatform.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** History with a field selection and the fleet's latest records, over records a real MQTT client published. */
class TelemetryQueriesIT {
    @TempDir
    static Path dataDir;

    static TestPlatform server;
    static Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(600);

    @BeforeAll
    static void start() {
        server = new TestPlatform(dataDir);
        publish(server.provision("CH-q1"), t0, "{\"power\":7.40,\"voltage\":230,\"meter\":{\"energy\":1234.50,\"total\":9}}",
                t0.plusSeconds(60), "{\"power\":11.0,\"voltage\":231,\"meter\":{\"energy\":1240.00}}");
        publish(server.provision("CH-q2"), t0.plusSeconds(30), "{\"status\":\"Charging\"}",
                t0.plusSeconds(90), "{\"status\":\"=HYPERLINK(\\\"x\\\")\",\"note\":\"a,b\\nc\",\"connectors\":[1,2]}");
        server.provision("CH-q3"); // provisioned, never sent anything
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Publishes (timestamp, data) pairs at QoS 1: each PUBACK comes after the commit. */
    private static void publish(Credentials charger, Object... timesAndData) {
        Mqtt5BlockingClient client = charger.mqtt5(server.mqttPort());
        client.connect();
        for (int i = 0; i < timesAndData.length; i += 2) {
            String payload = "{\"chargerId\":\"" + charger.chargerId() + "\",\"timestamp\":\"" + timesAndData[i]
                    + "\",\"data\":" + timesAndData[i + 1] + "}";
            client.publishWith().topic("telemetry/" + charger.chargerId()).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
        }
        client.disconnect();
    }

    @Test
    void history_withFields_returnsOnlyThoseDataKeys_nestedAsStored() {
        HttpResponse<String> response = server.get("/api/v1/chargers/CH-q1/telemetry?from=" + t0.minusSeconds(1)
                + "&fields=power,meter.energy,current");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode items = TestPlatform.json(response).get("items");
        assertThat(items).hasSize(2);
        assertThat(response.body()).contains("\"data\":{\"power\":7.40,\"meter\":{\"energy\":1234.50}}")
                .contains("\"data\":{\"power\":11.0,\"meter\":{\"energy\":1240.00}}");
        assertThat(items.get(0).get("metadata").get("receivedAt").isTextual()).isTrue();
    }

    @Test
    void aggregate_ofOneCharger_givesTheAskedFunctionsPerBucket_fromRollupsAndRecords() {
        HttpResponse<String> response = server.get("/api/v1/chargers/CH-q1/telemetry/aggregate?field=power&interval=PT1M"
                + "&from=" + t0.minusSeconds(1) + "&to=" + t0.plusSeconds(7200) + "&fn=avg,min,max,sum,count,first,last");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = TestPlatform.json(response);
        assertThat(body.get("chargerId").asText()).isEqualTo("CH-q1");
        assertThat(body.get("field").asText()).isEqualTo("power");
        assertThat(body.get("interval").asText()).isEqualTo("PT1M");
        JsonNode buckets = body.get("buckets");
        assertThat(buckets).hasSize(2); // t0 and t0 + 60 s fall in different minutes; empty ones are left out
        assertThat(buckets.get(0).get("count").asLong()).isEqualTo(1);
        assertThat(buckets.get(0).get("avg").asDouble()).isEqualTo(7.4);
        assertThat(buckets.get(0).get("first").asDouble()).isEqualTo(7.4);
        assertThat(buckets.get(1).get("max").asDouble()).isEqualTo(11.0);
        assertThat(Instant.parse(buckets.get(1).get("start").asText()).getEpochSecond() % 60).isZero();
        assertThat(Instant.parse(buckets.get(1).get("end").asText()))
                .isEqualTo(Instant.parse(buckets.get(1).get("start").asText()).plusSeconds(60));

        JsonNode daily = TestPlatform.json(server.get("/api/v1/chargers/CH-q1/telemetry/aggregate?field=meter.energy"
                + "&interval=P1D&from=" + t0.minusSeconds(3 * 86_400) + "&to=" + t0.plusSeconds(86_400) + "&fn=sum,count"));
        assertThat(daily.get("buckets").findValues("count").stream().mapToLong(JsonNode::asLong).sum()).isEqualTo(2);
        assertThat(daily.get("buckets").findValues("sum").stream().mapToDouble(JsonNode::asDouble).sum())
                .isEqualTo(2474.5);
        assertThat(daily.get("buckets").get(0).has("avg")).isFalse();
    }

    @Test
    void aggregate_countsValuesThatAreNoNumbers_asSkipped() {
        JsonNode body = TestPlatform.json(server.get("/api/v1/chargers/CH-q2/telemetry/aggregate?field=status"
                + "&interval=PT1H&from=" + t0.minusSeconds(3600) + "&to=" + t0.plusSeconds(3600)));

        assertThat(body.get("skipped").asLong()).isEqualTo(2);
        assertThat(body.get("buckets").findValues("count").stream().mapToLong(JsonNode::asLong).sum()).isZero();
        assertThat(body.get("buckets").get(0).get("avg").isNull()).isTrue();
    }

    @Test
    void fleetAggregate_mergesTheChargers_namedOrAll() {
        String range = "&interval=P31D&from=" + t0.minusSeconds(1) + "&to=" + t0.plusSeconds(90); // before CH-live
        JsonNode all = TestPlatform.json(server.get("/api/v1/telemetry/aggregate?chargerIds=all&field=power" + range));
        JsonNode named = TestPlatform.json(server.get("/api/v1/telemetry/aggregate?chargerIds=CH-q2,CH-q1&field=power"
                + range + "&fn=sum"));

        assertThat(all.get("chargerIds").asText()).isEqualTo("all");
        assertThat(all.get("buckets").findValues("count").stream().mapToLong(JsonNode::asLong).sum()).isEqualTo(2);
        assertThat(all.get("buckets").findValues("chargers").stream().mapToInt(JsonNode::asInt).max().orElse(0))
                .isEqualTo(1);
        assertThat(named.get("chargerIds").findValuesAsText("chargerIds")).isEmpty();
        assertThat(named.get("chargerIds")).hasSize(2);
        assertThat(named.get("buckets").findValues("sum").stream().mapToDouble(JsonNode::asDouble).sum())
                .isEqualTo(18.4, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(named.get("buckets").get(0).has("first")).isFalse();
    }

    @Test
    void aggregate_badParameters_are400_withWhatIsWrong() {
        String base = "/api/v1/chargers/CH-q1/telemetry/aggregate?";
        assertProblem(server.get(base + "field=power"), 400, "interval is required");
        assertProblem(server.get(base + "field=power&interval=5m"), 400, "ISO-8601 duration");
        assertProblem(server.get(base + "field=power&interval=PT0.5S"), 400, "whole seconds from PT1S to P31D");
        assertProblem(server.get(base + "field=power&interval=P40D"), 400, "P31D");
        assertProblem(server.get(base + "interval=PT1M"), 400, "field is required");
        assertProblem(server.get(base + "field=a..b&interval=PT1M"), 400, "empty key");
        assertProblem(server.get(base + "field=power&interval=PT1S&from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z"),
                400, "86400 buckets");
        assertProblem(server.get(base + "field=power&interval=PT1M&fn=avg,median"), 400, "'median'");
        assertProblem(server.get(base + "field=power&interval=PT1M&from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z"),
                400, "from must be before to");
        assertProblem(server.get("/api/v1/chargers/bad%20id/telemetry/aggregate?field=power&interval=PT1M"), 400,
                "charger");
        assertProblem(server.get("/api/v1/telemetry/aggregate?field=power&interval=PT1M&chargerIds=CH-q1&fn=first"),
                400, "'first'");
        assertProblem(server.get("/api/v1/telemetry/aggregate?field=power&interval=PT1M"), 400, "chargerIds is required");
        assertProblem(server.send(java.net.http.HttpRequest.newBuilder(
                server.uri("/api/v1/telemetry/aggregate?field=power&interval=PT1M&chargerIds=all")).GET()), 401, "");
    }

    @Test
    void fleetLatest_isEachChargersNewest_inTheOrderAsked_andNamesThoseWithout() {
        HttpResponse<String> response = server.get(
                "/api/v1/telemetry/latest?chargerIds=CH-q2,CH-q3,CH-q1,CH-q2,CH-never&fields=power,status");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = TestPlatform.json(response);
        assertThat(body.get("items")).extracting(i -> i.get("chargerId").asText() + " " + i.get("data"))
                .containsExactly("CH-q2 {\"status\":\"=HYPERLINK(\\\"x\\\")\"}", "CH-q1 {\"power\":11.0}");
        assertThat(body.get("items").get(1).get("timestamp").asText()).isEqualTo(t0.plusSeconds(60).toString()
                .replace("Z", ".000Z"));
        assertThat(body.get("missing")).extracting(JsonNode::asText).containsExactly("CH-q3", "CH-never");
    }

    @Test
    void fleetLatest_takesAThousandChargersOfTwentyCharacters_inOneUrl() {
        List<String> ids = new ArrayList<>(List.of("CH-q1"));
        IntStream.range(1, 1000).forEach(i -> ids.add(String.format("CH-fleet-%011d", i)));

        HttpResponse<String> response = server.get("/api/v1/telemetry/latest?chargerIds=" + String.join(",", ids));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = TestPlatform.json(response);
        assertThat(body.get("items")).hasSize(1);
        assertThat(body.get("missing")).hasSize(999);
    }

    @Test
    void fleetLatest_ofMoreThanAThousand_is400() {
        String ids = IntStream.range(0, 1001).mapToObj(i -> "C" + i).collect(Collectors.joining(","));

        assertProblem(server.get("/api/v1/telemetry/latest?chargerIds=" + ids), 400, "at most 1000 per request");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/api/v1/telemetry/latest",
        "/api/v1/telemetry/latest?chargerIds=",
        "/api/v1/telemetry/latest?chargerIds=CH-q1,,CH-q2",
        "/api/v1/telemetry/latest?chargerIds=CH-q1,bad%20id",
        "/api/v1/telemetry/latest?chargerIds=CH-q1&fields=meter..energy",
        "/api/v1/chargers/CH-q1/telemetry?fields=,",
        "/api/v1/chargers/CH-q1/telemetry?fields=power.",
        "/api/v1/chargers/CH-q1/telemetry?fields=../etc/passwd",
        "/api/v1/chargers/CH-q1/telemetry?fields=a%01b"
    })
    void badChargerIdsOrFields_are400Problems(String path) {
        HttpResponse<String> response = server.get(path);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).get().asString()
                .startsWith("application/problem+json");
        String detail = TestPlatform.json(response).get("detail").asText();
        assertThat(detail).containsAnyOf("chargerIds", "fields");
    }

    @Test
    void fleetLatest_withoutKey_is401() {
        HttpResponse<String> response = server.send(java.net.http.HttpRequest.newBuilder(
                server.uri("/api/v1/telemetry/latest?chargerIds=CH-q1")).GET());

        assertProblem(response, 401, "");
    }

    @Test
    void chargerExport_ndjson_isOneHistoryShapedRecordPerLine() {
        HttpResponse<String> response = server.get("/api/v1/chargers/CH-q1/telemetry/export?from=" + t0.minusSeconds(1));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
        assertThat(response.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"CH-q1.ndjson\"");
        List<String> lines = response.body().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("{\"chargerId\":\"CH-q1\",\"timestamp\":\"")
                .contains("\"data\":{\"power\":7.40,\"voltage\":230,\"meter\":{\"energy\":1234.50,\"total\":9}}")
                .contains("\"metadata\":{\"receivedAt\":\"");
        assertThat(response.body()).endsWith("\n");
    }

    @Test
    void fleetExport_csv_flattensData_quotesAndDefusesFormulas() {
        HttpResponse<String> response = server.get("/api/v1/telemetry/export?format=csv&from=" + t0.minusSeconds(1));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/csv; charset=utf-8");
        String[] rows = response.body().split("\r\n");
        assertThat(rows[0]).isEqualTo("chargerId,timestamp,receivedAt,connectors,meter.energy,meter.total,note,power,"
                + "status,voltage");
        assertThat(rows).hasSize(5); // header and four records, CH-q1 before CH-q2 within the day
        assertThat(rows[1]).startsWith("CH-q1,").endsWith(",,1234.50,9,,7.40,,230");
        assertThat(rows[4]).startsWith("CH-q2,").endsWith(",\"[1,2]\",,,\"a,b\nc\",,\"'=HYPERLINK(\"\"x\"\")\",");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/api/v1/telemetry/export?format=xml",
        "/api/v1/telemetry/export?from=2026-02-11T00:00:00Z&to=2026-02-10T00:00:00Z",
        "/api/v1/telemetry/export?from=yesterday",
        "/api/v1/chargers/bad%20id/telemetry/export",
        "/api/v1/chargers/CH-q1/telemetry/export?format="
    })
    void badExportParameters_are400Problems(String path) {
        HttpResponse<String> response = server.get(path);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).get().asString()
                .startsWith("application/problem+json");
    }

    @Test
    void liveStream_pushesARecordOnceItsPublishIsAcknowledged_andNeedsTheKey() throws Exception {
        Credentials charger = server.provision("CH-live");
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                server.uri("/api/v1/chargers/CH-live/telemetry/stream"));
        assertProblem(server.send(request.copy().GET()), 401, "");
        HttpResponse<java.io.InputStream> stream = java.net.http.HttpClient.newHttpClient().send(
                request.header("Authorization", "Bearer " + TestPlatform.ADMIN_KEY).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);

        Instant at = t0.plusSeconds(120);
        publish(charger, at, "{\"power\":3.5}");

        try (java.io.BufferedReader in = new java.io.BufferedReader(
                new java.io.InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = in.readLine();
            } while (line != null && !line.startsWith("data: "));
            assertThat(line).startsWith("data: {\"chargerId\":\"CH-live\",\"timestamp\":\"" + at.toString()
                    .replace("Z", ".000Z") + "\",\"data\":{\"power\":3.5}");
        }
    }
}
