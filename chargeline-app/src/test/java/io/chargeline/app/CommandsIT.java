package io.chargeline.app;

import static io.chargeline.app.TestPlatform.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.exceptions.MqttSessionExpiredException;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands end to end: real MQTT chargers that receive, acknowledge and answer them. */
class CommandsIT {
    private static final AtomicInteger IDS = new AtomicInteger();

    @TempDir
    static Path dataDir;

    static TestPlatform server;

    @BeforeAll
    static void start() {
        server = new TestPlatform(dataDir.resolve("main"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void onlineCharger_getsTheCommand_andItsRepliesDriveTheStatus() throws Exception {
        Charger charger = Charger.connect(server, newId(), publish -> {});
        HttpResponse<String> issued = server.post(commands(charger.id),
                "{\"name\":\"get-diagnostics\",\"payload\":{\"since\":\"PT1H\"},\"ttl\":\"PT10M\"}");
        assertThat(issued.statusCode()).isEqualTo(202);
        String commandId = TestPlatform.json(issued).get("commandId").asText();
        assertThat(issued.headers().firstValue("Location")).contains(commands(charger.id) + "/" + commandId);

        Mqtt5Publish received = await().atMost(Duration.ofSeconds(10)).until(() -> charger.received, r -> !r.isEmpty()).get(0);
        assertThat(received.getTopic().toString()).isEqualTo("commands/" + charger.id + "/" + commandId);
        JsonNode body = TestPlatform.JSON.readTree(received.getPayloadAsBytes());
        assertThat(body.get("commandId").asText()).isEqualTo(commandId);
        assertThat(body.get("name").asText()).isEqualTo("get-diagnostics");
        assertThat(body.at("/payload/since").asText()).isEqualTo("PT1H");
        assertThat(body.has("issuedAt") && body.has("expiresAt")).isTrue();
        assertThat(received.getResponseTopic()).hasValueSatisfying(t ->
                assertThat(t.toString()).isEqualTo("commands/" + charger.id + "/" + commandId + "/reply"));
        assertThat(received.getCorrelationData()).isPresent();
        await().atMost(Duration.ofSeconds(10)).until(() -> status(charger.id, commandId).equals("DELIVERED"));

        assertThat(charger.reply(commandId, "{\"status\":\"IN_PROGRESS\",\"result\":{\"progress\":40}}"))
                .isEqualTo("SUCCESS");
        assertThat(status(charger.id, commandId)).isEqualTo("IN_PROGRESS"); // acknowledged only once stored
        charger.reply(commandId, "{\"status\":\"SUCCEEDED\",\"result\":{\"log\":\"ok\"}}");

        JsonNode done = TestPlatform.json(server.get(commands(charger.id) + "/" + commandId));
        assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(done.at("/result/log").asText()).isEqualTo("ok");
        assertThat(done.get("transitions").findValuesAsText("status"))
                .containsExactly("QUEUED", "SENT", "DELIVERED", "IN_PROGRESS", "SUCCEEDED");
        String metrics = server.get("/metrics").body();
        assertThat(metrics).contains("chargeline_commands_total{status=\"SUCCEEDED\"}",
                "chargeline_command_delivery_seconds_count", "chargeline_commands_open");
        // a late reply to a finished command is refused and changes nothing
        assertThat(charger.reply(commandId, "{\"status\":\"FAILED\"}"))
                .isEqualTo("IMPLEMENTATION_SPECIFIC_ERROR");
        assertThat(status(charger.id, commandId)).isEqualTo("SUCCEEDED");
        charger.close();
    }

    @Test
    void waitParameter_makesItASynchronousCall() throws Exception {
        AtomicInteger answered = new AtomicInteger();
        Charger[] self = new Charger[1];
        self[0] = Charger.connect(server, newId(), publish -> {
            String commandId = publish.getTopic().getLevels().get(2);
            answered.incrementAndGet();
            self[0].replyAsync(commandId, "{\"status\":\"SUCCEEDED\",\"result\":{\"rebooting\":true}}");
        });

        HttpResponse<String> response = server.post(commands(self[0].id) + "?wait=PT20S", "{\"name\":\"reboot\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestPlatform.json(response).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(TestPlatform.json(response).at("/result/rebooting").asBoolean()).isTrue();
        assertThat(answered.get()).isEqualTo(1);
        self[0].close();
    }

    @Test
    void offlineCharger_getsItsCommandsInOrder_whenItConnects_evenAcrossARestart() throws Exception {
        Path dir = dataDir.resolve("restart");
        String id = newId();
        Credentials credentials;
        String first;
        String second;
        try (TestPlatform before = new TestPlatform(dir)) {
            credentials = before.provision(id);
            first = TestPlatform.json(before.post(commands(id), "{\"name\":\"set-log-level\",\"payload\":{\"level\":\"debug\"}}"))
                    .get("commandId").asText();
            second = TestPlatform.json(before.post(commands(id), "{\"name\":\"reboot\"}")).get("commandId").asText();
            assertThat(TestPlatform.json(before.get(commands(id) + "/" + first)).get("status").asText()).isEqualTo("QUEUED");
        }
        try (TestPlatform after = new TestPlatform(dir)) {
            Charger charger = Charger.connect(after, credentials, publish -> {});
            await().atMost(Duration.ofSeconds(10)).until(() -> charger.received.size() == 2);
            assertThat(charger.received).extracting(p -> p.getTopic().getLevels().get(2)).containsExactly(first, second);
            await().atMost(Duration.ofSeconds(10)).until(() -> "DELIVERED".equals(
                    TestPlatform.json(after.get(commands(id) + "/" + second)).get("status").asText()));
            JsonNode list = TestPlatform.json(after.get(commands(id) + "?status=delivered"));
            assertThat(list.get("items").findValuesAsText("commandId")).containsExactly(second, first);
            charger.close();
        }
    }

    @Test
    void undeliveredCommands_expire_orCanBeCancelled_butNotOnceDelivered() throws Exception {
        Credentials credentials = server.provision(newId());
        String id = credentials.chargerId();
        String expiring = TestPlatform.json(server.post(commands(id), "{\"name\":\"reboot\",\"ttl\":\"PT1S\"}"))
                .get("commandId").asText();
        String cancelled = TestPlatform.json(server.post(commands(id), "{\"name\":\"reboot\"}")).get("commandId").asText();

        HttpResponse<String> cancel = server.delete(commands(id) + "/" + cancelled);
        assertThat(cancel.statusCode()).isEqualTo(200);
        assertThat(TestPlatform.json(cancel).get("status").asText()).isEqualTo("CANCELLED");
        assertProblem(server.delete(commands(id) + "/" + cancelled), 409, "already CANCELLED");
        await().atMost(Duration.ofSeconds(10)).until(() -> status(id, expiring).equals("EXPIRED"));

        Charger charger = Charger.connect(server, credentials, publish -> {});
        String delivered = TestPlatform.json(server.post(commands(id), "{\"name\":\"reboot\"}")).get("commandId").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> status(id, delivered).equals("DELIVERED"));
        assertProblem(server.delete(commands(id) + "/" + delivered), 409, "already delivered");
        assertThat(charger.received).hasSize(1); // neither the expired nor the cancelled one was sent
        charger.close();
    }

    @Test
    void aCharger_cannotAnswerAnotherChargersCommand() throws Exception {
        Charger owner = Charger.connect(server, newId(), publish -> {});
        Charger other = Charger.connect(server, newId(), publish -> {});
        String commandId = TestPlatform.json(server.post(commands(owner.id), "{\"name\":\"reboot\"}"))
                .get("commandId").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> status(owner.id, commandId).equals("DELIVERED"));

        // under its own topic the id is not one of its commands
        assertThat(other.reply(commandId, "{\"status\":\"SUCCEEDED\"}"))
                .isEqualTo("IMPLEMENTATION_SPECIFIC_ERROR");
        // the owner's reply topic is not its to publish on; MQTT 5 says so and the connection goes on
        assertThat(other.publish("commands/" + owner.id + "/" + commandId + "/reply", "{\"status\":\"SUCCEEDED\"}"))
                .isEqualTo("NOT_AUTHORIZED");
        assertThat(other.reply(commandId, "{\"status\":\"SUCCEEDED\"}")).isEqualTo("IMPLEMENTATION_SPECIFIC_ERROR");
        assertThat(status(owner.id, commandId)).isEqualTo("DELIVERED");
        assertThat(owner.reply(commandId, "{\"status\":\"REJECTED\",\"result\":{\"reason\":\"charging\"}}"))
                .isEqualTo("SUCCESS");
        assertThat(status(owner.id, commandId)).isEqualTo("REJECTED");
        assertThat(owner.reply(commandId.replace('0', '1'), "{\"status\":\"SUCCEEDED\"}"))
                .isEqualTo("IMPLEMENTATION_SPECIFIC_ERROR");
        owner.close();
    }

    @Test
    void malformedReplies_areRefusedWithAReason() throws Exception {
        Charger charger = Charger.connect(server, newId(), publish -> {});
        String commandId = TestPlatform.json(server.post(commands(charger.id), "{\"name\":\"reboot\"}"))
                .get("commandId").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> status(charger.id, commandId).equals("DELIVERED"));

        assertThat(charger.reply(commandId, "not json")).isEqualTo("PAYLOAD_FORMAT_INVALID");
        assertThat(charger.reply(commandId, "{\"status\":\"DONE\"}")).isEqualTo("PAYLOAD_FORMAT_INVALID");
        assertThat(charger.reply(commandId, "{\"status\":\"EXPIRED\"}")).isEqualTo("PAYLOAD_FORMAT_INVALID");
        assertThat(status(charger.id, commandId)).isEqualTo("DELIVERED");
        // every reason is a series from the start, so an alert on it never waits for the first refusal
        assertThat(server.get("/metrics").body()).contains("chargeline_command_replies_refused_total{reason=\"malformed\"}",
                "chargeline_command_replies_refused_total{reason=\"busy\"} 0.0");
        charger.close();
    }

    @Test
    void badRequests_areProblems() {
        String id = server.provision(newId()).chargerId();
        assertProblem(server.post(commands("CH-nobody"), "{\"name\":\"reboot\"}"), 404, "not provisioned");
        assertProblem(server.post(commands(id), "{}"), 400, "name must match");
        assertProblem(server.post(commands(id), "{\"name\":\"re boot\"}"), 400, "name must match");
        assertProblem(server.post(commands(id), "{\"name\":\"reboot\",\"payload\":[1]}"), 400, "payload must be a JSON object");
        assertProblem(server.post(commands(id), "{\"name\":\"reboot\",\"ttl\":\"1h\"}"), 400, "ISO-8601");
        assertProblem(server.post(commands(id), "{\"name\":\"reboot\",\"ttl\":\"P31D\"}"), 400, "between");
        assertProblem(server.post(commands(id), "{\"name\":\"reboot\",\"priority\":1}"), 400, "unknown property");
        assertProblem(server.post(commands(id) + "?wait=PT5M", "{\"name\":\"reboot\"}"), 400, "wait must be");
        String big = "{\"name\":\"set-config\",\"payload\":{\"blob\":\"" + "x".repeat(70_000) + "\"}}";
        assertProblem(server.post(commands(id), big), 400, "at most 65536 bytes");
        assertProblem(server.get(commands(id) + "?status=done"), 400, "status must be one of");
        assertProblem(server.get(commands(id) + "?cursor=x"), 400, "cursor");
        assertProblem(server.get(commands(id) + "/0123456789abcdef"), 404, "no command");
        assertProblem(server.get(commands(id) + "/nope"), 404, "no command");
        assertProblem(server.delete(commands(id) + "/0123456789abcdef"), 404, "no command");
        assertThat(TestPlatform.json(server.get(commands(id))).get("items")).isEmpty();
    }

    private static String commands(String chargerId) {
        return "/api/v1/chargers/" + chargerId + "/commands";
    }

    private static String status(String chargerId, String commandId) {
        return TestPlatform.json(server.get(commands(chargerId) + "/" + commandId)).get("status").asText();
    }

    private static String newId() {
        return "CH-CMD-" + IDS.incrementAndGet();
    }

    /** A charger that subscribes to its commands and records them; {@code onCommand} may answer. */
    private static final class Charger {
        final String id;
        final Mqtt5AsyncClient client;
        final List<Mqtt5Publish> received = new CopyOnWriteArrayList<>();

        private Charger(String id, Mqtt5AsyncClient client) {
            this.id = id;
            this.client = client;
        }

        static Charger connect(TestPlatform platform, String id, Consumer<Mqtt5Publish> onCommand) throws Exception {
            return connect(platform, platform.provision(id), onCommand);
        }

        static Charger connect(TestPlatform platform, Credentials credentials, Consumer<Mqtt5Publish> onCommand)
                throws Exception {
            Mqtt5AsyncClient client = Mqtt5Client.builder().identifier(credentials.chargerId()).serverHost("127.0.0.1")
                    .serverPort(platform.mqttPort()).sslConfig(credentials.ssl()).buildAsync();
            Charger charger = new Charger(credentials.chargerId(), client);
            client.connect().get(30, TimeUnit.SECONDS);
            client.subscribeWith().topicFilter("commands/" + charger.id + "/+").qos(MqttQos.AT_LEAST_ONCE)
                    .callback(publish -> {
                        charger.received.add(publish);
                        onCommand.accept(publish);
                    }).send().get(10, TimeUnit.SECONDS);
            return charger;
        }

        /** The PUBACK reason code, or the DISCONNECT's when the broker closed the connection instead. */
        String reply(String commandId, String json) throws Exception {
            return publish("commands/" + id + "/" + commandId + "/reply", json);
        }

        CompletableFuture<Mqtt5PublishResult> replyAsync(String commandId, String json) {
            return client.publishWith().topic("commands/" + id + "/" + commandId + "/reply").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(json.getBytes(StandardCharsets.UTF_8)).send();
        }

        String publish(String topic, String json) throws Exception {
            try {
                Mqtt5PublishResult result = client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                        .payload(json.getBytes(StandardCharsets.UTF_8)).send().get(30, TimeUnit.SECONDS);
                return ((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode().name();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Mqtt5PubAckException refused) {
                    return refused.getMqttMessage().getReasonCode().name();
                }
                if (e.getCause() instanceof MqttSessionExpiredException gone
                        && gone.getCause() instanceof Mqtt5DisconnectException disconnect) {
                    return disconnect.getMqttMessage().getReasonCode().name();
                }
                throw e;
            }
        }

        void close() {
            client.disconnect();
        }
    }
}
