package io.chargeline.app;

import static io.chargeline.app.TestPlatform.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Silence alarms, charger status and settings against the real platform, with real MQTT chargers. */
class AlarmsIT {
    private static final Duration THRESHOLD = Duration.ofSeconds(2);
    private static final AtomicInteger IDS = new AtomicInteger();

    @TempDir
    static Path dataDir;

    static TestPlatform server;

    @BeforeAll
    static void start() {
        server = new TestPlatform(dataDir, THRESHOLD);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void silentCharger_raisesAnAlarm_thatTelemetryClears_andTheStatusFollows() {
        Credentials charger = server.provision(newId());
        String id = charger.chargerId();
        Mqtt5BlockingClient client = charger.mqtt5(server.mqttPort());
        client.connect();
        publish(client, id);
        assertThat(field("/api/v1/chargers/" + id, "status")).isEqualTo("online");

        JsonNode alarm = await().atMost(Duration.ofSeconds(20)).until(() -> activeAlarm(id), a -> a != null);
        assertThat(alarm.get("type").asText()).isEqualTo("SILENT");
        assertThat(alarm.get("threshold").asText()).isEqualTo("PT2S");
        Instant deadline = Instant.parse(alarm.get("deadline").asText());
        assertThat(Instant.parse(alarm.get("raisedAt").asText())).isAfterOrEqualTo(deadline);
        assertThat(deadline).isEqualTo(Instant.parse(alarm.get("lastTelemetryAt").asText()).plus(THRESHOLD));
        // the alarm is listed once stored; the status follows as soon as the book has it
        JsonNode status = await().atMost(Duration.ofSeconds(5)).until(
                () -> TestPlatform.json(server.get("/api/v1/chargers/" + id)), s -> s.get("status").asText().equals("silent"));
        assertThat(status.get("activeAlarms").asInt()).isEqualTo(1);

        publish(client, id);
        String alarmId = alarm.get("id").asText();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> field("/api/v1/alarms/" + alarmId, "state").equals("CLEARED"));
        assertThat(field("/api/v1/chargers/" + id, "status")).isEqualTo("online");

        HttpResponse<String> ack = server.post("/api/v1/alarms/" + alarmId + "/ack", "{\"by\":\"night-shift\"}");
        assertThat(ack.statusCode()).isEqualTo(200);
        assertThat(TestPlatform.json(ack).get("acknowledgedBy").asText()).isEqualTo("night-shift");

        client.disconnect();
        await().atMost(Duration.ofSeconds(10)).until(() -> TestPlatform.json(server.get("/api/v1/chargers/" + id))
                .at("/lastConnection/reason").asText().equals("CLIENT_DISCONNECT"));
        assertThat(field("/api/v1/chargers/" + id, "status")).isEqualTo("offline");
    }

    @Test
    void valueRule_raisesAThresholdAlarm_andAGoodValueClearsIt() {
        HttpResponse<String> created = server.post("/api/v1/alarm-rules",
                "{\"field\":\"temperature\",\"op\":\">\",\"value\":80}");
        assertThat(created.statusCode()).isEqualTo(201);
        String ruleId = TestPlatform.json(created).get("id").asText();
        try {
            Credentials charger = server.provision(newId());
            Mqtt5BlockingClient client = charger.mqtt5(server.mqttPort());
            client.connect();
            publish(client, charger.chargerId(), "{\"temperature\":85.5}");

            JsonNode alarm = await().atMost(Duration.ofSeconds(10)).until(() -> TestPlatform.json(server.get(
                    "/api/v1/alarms?state=active&type=THRESHOLD&chargerId=" + charger.chargerId())).get("items"),
                    items -> items.size() == 1).get(0);
            assertThat(alarm.get("ruleId").asText()).isEqualTo(ruleId);
            assertThat(alarm.get("detail").asText()).contains("temperature > 80.0", "85.5");

            publish(client, charger.chargerId(), "{\"temperature\":60}");
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    field("/api/v1/alarms/" + alarm.get("id").asText(), "state").equals("CLEARED"));
            client.disconnect();
        } finally {
            assertThat(server.delete("/api/v1/alarm-rules/" + ruleId).statusCode()).isEqualTo(204);
        }
        assertThat(server.get("/api/v1/alarm-rules/" + ruleId).statusCode()).isEqualTo(404);
    }

    @Test
    void badRules_areProblems() {
        assertProblem(server.post("/api/v1/alarm-rules", "{\"field\":\"t\",\"op\":\">\",\"value\":\"hot\"}"), 400, "number");
        assertProblem(server.post("/api/v1/alarm-rules", "{\"field\":\"t\",\"op\":\"~\",\"value\":1}"), 400, "op must");
        assertProblem(server.post("/api/v1/alarm-rules", "{\"field\":\"t\",\"value\":1}"), 400, "op is required");
        assertProblem(server.post("/api/v1/alarm-rules", "{\"field\":\"a b\",\"op\":\">\",\"value\":1}"), 400, "field");
        assertProblem(server.post("/api/v1/alarm-rules",
                "{\"field\":\"t\",\"op\":\">\",\"value\":1,\"for\":\"1 minute\"}"), 400, "ISO-8601");
        assertProblem(server.post("/api/v1/alarm-rules",
                "{\"field\":\"t\",\"op\":\">\",\"value\":1,\"for\":\"P3D\"}"), 400, "between");
        assertProblem(server.post("/api/v1/alarm-rules",
                "{\"field\":\"t\",\"op\":\">\",\"value\":1,\"severity\":\"high\"}"), 400, "unknown property");
        assertProblem(server.get("/api/v1/alarm-rules/0123456789abcdef"), 404, "");
        assertProblem(server.delete("/api/v1/alarm-rules/nope"), 404, "");
    }

    @Test
    void provisionedButNeverSeen_isListedAsSuch() {
        String id = server.provision(newId()).chargerId();

        assertThat(field("/api/v1/chargers/" + id, "status")).isEqualTo("never_seen");
        JsonNode page = TestPlatform.json(server.get("/api/v1/chargers?status=never_seen&limit=1000"));
        assertThat(page.get("items").findValuesAsText("chargerId")).contains(id);
        assertThat(server.get("/api/v1/chargers/CH-nobody").statusCode()).isEqualTo(404);
    }

    @Test
    void operatorClient_watchesAlarmsOnMqtt_untilRevoked() throws Exception {
        HttpResponse<String> created = server.post("/api/v1/operators", "{\"name\":\"night-shift\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode body = TestPlatform.json(created);
        assertThat(body.get("clientId").asText()).isEqualTo("operator:night-shift");
        Credentials operator = new Credentials(body.get("clientId").asText(), body.get("certificatePem").asText(),
                body.get("privateKeyPem").asText(), body.get("caCertificatePem").asText());
        Mqtt5BlockingClient watcher = operator.mqtt5(server.mqttPort());
        watcher.connect();
        Credentials charger = server.provision(newId());
        String id = charger.chargerId();
        try (Mqtt5BlockingClient.Mqtt5Publishes events = watcher.publishes(MqttGlobalPublishFilter.SUBSCRIBED)) {
            watcher.subscribeWith().topicFilter("$chargeline/alarms/" + id).qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5BlockingClient client = charger.mqtt5(server.mqttPort());
            client.connect();
            publish(client, id);

            JsonNode raised = event(events.receive(20, TimeUnit.SECONDS).orElseThrow(), id);
            assertThat(raised.get("type").asText()).isEqualTo("alarm.raised");
            assertThat(raised.at("/data/type").asText()).isEqualTo("SILENT");
            assertThat(raised.at("/data/alarmId").asText()).isEqualTo(activeAlarm(id).get("id").asText());
            publish(client, id);
            JsonNode cleared = event(events.receive(10, TimeUnit.SECONDS).orElseThrow(), id);
            assertThat(cleared.get("type").asText()).isEqualTo("alarm.cleared");
            assertThat(cleared.at("/data/alarmId").asText()).isEqualTo(raised.at("/data/alarmId").asText());
            client.disconnect();
        }
        // an operator is not a charger: no device, no charger status
        assertThat(server.get("/api/v1/devices/night-shift").statusCode()).isEqualTo(404);
        assertThat(server.get("/api/v1/chargers/night-shift").statusCode()).isEqualTo(404);
        assertThat(TestPlatform.json(server.get("/api/v1/operators")).get("items").findValuesAsText("name"))
                .contains("night-shift");

        HttpResponse<String> revoked = server.delete("/api/v1/operators/night-shift");
        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(TestPlatform.json(revoked).get("status").asText()).isEqualTo("revoked");
        await().atMost(Duration.ofSeconds(10)).until(() -> !watcher.getState().isConnected());
        assertThat(field("/api/v1/operators/night-shift", "status")).isEqualTo("revoked");
    }

    @Test
    void badOperatorRequests_areProblems() {
        assertProblem(server.post("/api/v1/operators", "{}"), 400, "name is required");
        assertProblem(server.post("/api/v1/operators", "{\"name\":\"night shift\"}"), 400, "name must match");
        assertProblem(server.post("/api/v1/operators", "{\"name\":\"operator:x\"}"), 400, "name must match");
        assertThat(server.post("/api/v1/operators", "{\"name\":\"day-shift\"}").statusCode()).isEqualTo(201);
        assertProblem(server.post("/api/v1/operators", "{\"name\":\"day-shift\"}"), 409, "operator day-shift is already");
        assertProblem(server.get("/api/v1/operators/nobody"), 404, "operator nobody is not provisioned");
        assertProblem(server.delete("/api/v1/operators/nobody"), 404, "operator nobody");
        assertProblem(server.get("/api/v1/operators?cursor=a%20b"), 400, "cursor");
    }

    @Test
    void operatorCli_writesTheFiles_andRevokes(@TempDir Path out) throws Exception {
        String[] server = {"--server", "http://127.0.0.1:" + AlarmsIT.server.platform.httpPort(),
            "--api-key", AlarmsIT.server.platform.adminApiKey()};
        java.io.StringWriter console = new java.io.StringWriter();
        picocli.CommandLine cli = ChargelineCli.commandLine().setOut(new java.io.PrintWriter(console));

        int created = cli.execute(concat(new String[] {"operator", "create", "pager", "--out", out.toString()}, server));

        assertThat(created).as(console.toString()).isZero();
        assertThat(console.toString()).contains("operator:pager", "$chargeline/alarms/#");
        assertThat(java.nio.file.Files.getPosixFilePermissions(out.resolve("pager.key")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertThat(out.resolve("pager.crt")).exists();
        assertThat(out.resolve("ca.crt")).exists();
        assertThat(cli.execute(concat(new String[] {"operator", "revoke", "pager"}, server))).isZero();
        assertThat(field("/api/v1/operators/pager", "status")).isEqualTo("revoked");
        assertThat(cli.execute(concat(new String[] {"operator", "create", "bad name", "--out", out.toString()}, server)))
                .isEqualTo(1);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static JsonNode event(Mqtt5Publish publish, String chargerId) throws Exception {
        assertThat(publish.getTopic().toString()).isEqualTo("$chargeline/alarms/" + chargerId);
        return TestPlatform.JSON.readTree(publish.getPayloadAsBytes());
    }

    @Test
    void revokedWhileConnected_isRecordedAsRevoked() {
        Credentials charger = server.provision(newId());
        Mqtt5BlockingClient client = charger.mqtt5(server.mqttPort());
        client.connect();

        assertThat(server.delete("/api/v1/devices/" + charger.chargerId()).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> "REVOKED".equals(TestPlatform.json(
                server.get("/api/v1/chargers/" + charger.chargerId())).at("/lastConnection/reason").asText()));
        JsonNode history = TestPlatform.json(server.get("/api/v1/chargers/" + charger.chargerId() + "/presence"));
        assertThat(history.get("items").findValuesAsText("event")).containsExactly("disconnected", "connected");
        assertThat(history.at("/items/0/reason").asText()).isEqualTo("REVOKED");
        assertProblem(server.get("/api/v1/chargers/" + charger.chargerId() + "/presence?limit=0"), 400, "limit");
    }

    /** Issue 11, finding 2: a revoked charger was still watched, and got a SILENT alarm that nothing could clear. */
    @Test
    void revokedCharger_isNoLongerWatched_andItsActiveAlarmsAreClearedWithTheReason() {
        Credentials silentOne = server.provision(newId());
        Credentials justSent = server.provision(newId());
        Mqtt5BlockingClient a = silentOne.mqtt5(server.mqttPort());
        a.connect();
        publish(a, silentOne.chargerId());
        JsonNode alarm = await().atMost(Duration.ofSeconds(20))
                .until(() -> activeAlarm(silentOne.chargerId()), x -> x != null);
        Mqtt5BlockingClient b = justSent.mqtt5(server.mqttPort());
        b.connect();
        publish(b, justSent.chargerId());

        assertThat(server.delete("/api/v1/devices/" + silentOne.chargerId()).statusCode()).isEqualTo(200);
        assertThat(server.delete("/api/v1/devices/" + justSent.chargerId()).statusCode()).isEqualTo(200);

        JsonNode cleared = TestPlatform.json(server.get("/api/v1/alarms/" + alarm.get("id").asText()));
        assertThat(cleared.get("state").asText()).isEqualTo("CLEARED");
        assertThat(cleared.get("clearReason").asText()).isEqualTo("CHARGER_REVOKED");
        assertThat(TestPlatform.json(server.get("/api/v1/chargers/" + silentOne.chargerId())).get("activeAlarms").asInt())
                .isZero();
        // the other one's deadline passes after its revocation: no alarm
        await().during(THRESHOLD.multipliedBy(2)).atMost(THRESHOLD.multipliedBy(3)).until(() ->
                TestPlatform.json(server.get("/api/v1/alarms?chargerId=" + justSent.chargerId())).get("items").isEmpty());
        assertThat(TestPlatform.json(server.get("/api/v1/chargers/" + justSent.chargerId())).get("lastSeen").isNull())
                .isFalse();
    }

    @Test
    void settings_overrideAndReset_theSilenceThreshold() {
        String id = server.provision(newId()).chargerId();
        String path = "/api/v1/chargers/" + id + "/settings";
        assertThat(TestPlatform.json(server.get(path)).get("silenceThreshold").asText()).isEqualTo("PT2S");

        HttpResponse<String> set = server.put(path, "{\"silenceThreshold\":\"PT2M\"}");
        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(TestPlatform.json(server.get(path)).get("silenceThreshold").asText()).isEqualTo("PT2M");
        assertThat(TestPlatform.json(server.get(path)).get("silenceThresholdSource").asText()).isEqualTo("charger");

        server.put(path, "{\"silenceThreshold\":null}");
        assertThat(TestPlatform.json(server.get(path)).get("silenceThresholdSource").asText()).isEqualTo("default");
    }

    @Test
    void badSettings_areProblemsThatNameTheMistake() {
        String path = "/api/v1/chargers/" + server.provision(newId()).chargerId() + "/settings";

        assertProblem(server.put(path, "{\"silenceThreshold\":\"five minutes\"}"), 400, "ISO-8601");
        assertProblem(server.put(path, "{\"silenceThreshold\":300}"), 400, "ISO-8601");
        assertProblem(server.put(path, "{\"silenceThreshold\":\"PT0S\"}"), 400, "between");
        assertProblem(server.put(path, "{\"silenceThreshold\":\"-PT5M\"}"), 400, "between");
        assertProblem(server.put(path, "{\"threshold\":\"PT5M\",\"silenceThreshold\":\"PT5M\"}"), 400, "unknown property threshold");
        assertProblem(server.put(path, "{}"), 400, "required");
        assertProblem(server.put(path, "not json"), 400, "");
        assertProblem(server.put("/api/v1/chargers/CH-nobody/settings", "{\"silenceThreshold\":\"PT5M\"}"), 404, "");
    }

    @Test
    void badAlarmQueries_areProblems() {
        assertProblem(server.get("/api/v1/alarms?state=burning"), 400, "state");
        assertProblem(server.get("/api/v1/alarms?type=LOUD"), 400, "type");
        assertProblem(server.get("/api/v1/alarms?cursor=zzz"), 400, "cursor");
        assertProblem(server.get("/api/v1/alarms?limit=0"), 400, "limit");
        assertProblem(server.get("/api/v1/alarms?chargerId=no%20spaces"), 400, "");
        assertProblem(server.get("/api/v1/alarms/0123456789abcdef"), 404, "");
        assertProblem(server.get("/api/v1/alarms/not-an-id"), 404, "");
        assertProblem(server.post("/api/v1/alarms/0123456789abcdef/ack", ""), 404, "");
        assertThat(server.get("/api/v1/alarms?state=all&type=silent&limit=5").statusCode()).isEqualTo(200);
    }

    @Test
    void alarmsAndLastSeen_surviveARestart() {
        Path dir = dataDir.resolve("restart");
        String alarmId;
        String id;
        try (TestPlatform first = new TestPlatform(dir, THRESHOLD)) {
            Credentials charger = first.provision("CH-restart");
            id = charger.chargerId();
            Mqtt5BlockingClient client = charger.mqtt5(first.mqttPort());
            client.connect();
            publish(client, id);
            client.disconnect();
            alarmId = await().atMost(Duration.ofSeconds(20))
                    .until(() -> activeAlarm(first, id), a -> a != null).get("id").asText();
        }
        try (TestPlatform second = new TestPlatform(dir, THRESHOLD)) {
            JsonNode alarm = TestPlatform.json(second.get("/api/v1/alarms/" + alarmId));
            assertThat(alarm.get("state").asText()).isEqualTo("ACTIVE");
            JsonNode charger = TestPlatform.json(second.get("/api/v1/chargers/" + id));
            assertThat(charger.get("lastSeen").isNull()).isFalse();
            assertThat(charger.get("status").asText()).isEqualTo("offline");
            // still silent after the restart: no second alarm for the same silence
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() ->
                    TestPlatform.json(second.get("/api/v1/alarms?chargerId=" + id)).get("items").size() == 1);
        }
    }

    @Test
    void persistentOperatorSession_getsTheAlarmsRaisedWhileItWasAway_afterARestart() throws Exception {
        Path dir = dataDir.resolve("operator-restart");
        String alarmId;
        Credentials operator;
        try (TestPlatform first = new TestPlatform(dir, THRESHOLD)) {
            JsonNode body = TestPlatform.json(first.post("/api/v1/operators", "{\"name\":\"pager\"}"));
            operator = new Credentials(body.get("clientId").asText(), body.get("certificatePem").asText(),
                    body.get("privateKeyPem").asText(), body.get("caCertificatePem").asText());
            Mqtt5BlockingClient watcher = operator.mqtt5(first.mqttPort());
            watcher.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
            watcher.subscribeWith().topicFilter("$chargeline/alarms/#").qos(MqttQos.AT_LEAST_ONCE).send();
            watcher.disconnect();

            Credentials charger = first.provision("CH-while-away");
            Mqtt5BlockingClient client = charger.mqtt5(first.mqttPort());
            client.connect();
            publish(client, charger.chargerId());
            client.disconnect();
            alarmId = await().atMost(Duration.ofSeconds(20))
                    .until(() -> activeAlarm(first, charger.chargerId()), a -> a != null).get("id").asText();
        }
        try (TestPlatform second = new TestPlatform(dir, THRESHOLD)) {
            Mqtt5BlockingClient watcher = operator.mqtt5(second.mqttPort());
            try (Mqtt5BlockingClient.Mqtt5Publishes events = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
                assertThat(watcher.connectWith().cleanStart(false).sessionExpiryInterval(3600).send().isSessionPresent())
                        .as("the operator's session is kept in the store").isTrue();
                JsonNode raised = event(events.receive(20, TimeUnit.SECONDS).orElseThrow(), "CH-while-away");
                assertThat(raised.get("type").asText()).isEqualTo("alarm.raised");
                assertThat(raised.at("/data/alarmId").asText()).isEqualTo(alarmId);
            }
            watcher.disconnect();
        }
    }

    private static JsonNode activeAlarm(String chargerId) {
        return activeAlarm(server, chargerId);
    }

    private static JsonNode activeAlarm(TestPlatform platform, String chargerId) {
        JsonNode items = TestPlatform.json(platform.get("/api/v1/alarms?state=active&chargerId=" + chargerId)).get("items");
        return items.isEmpty() ? null : items.get(0);
    }

    private static String field(String path, String name) {
        return TestPlatform.json(server.get(path)).get(name).asText();
    }

    private static void publish(Mqtt5BlockingClient client, String chargerId) {
        publish(client, chargerId, "{\"power\":7.2}");
    }

    private static void publish(Mqtt5BlockingClient client, String chargerId, String data) {
        client.publishWith()
                .topic("telemetry/" + chargerId)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(MqttIngestIT.payload(chargerId, Instant.now().toString(), data).getBytes(StandardCharsets.UTF_8))
                .send();
    }

    private static String newId() {
        return "CH-AL-" + IDS.incrementAndGet();
    }
}
