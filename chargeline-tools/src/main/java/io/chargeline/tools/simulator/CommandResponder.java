package io.chargeline.tools.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.chargeline.tools.bench.DeviceIdentity;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one simulated charger answers commands (see docs/commands.md): {@code reboot} reports progress and then
 * succeeds, {@code get-diagnostics} answers with its state, {@code set-*} applies the payload, {@code update}
 * goes through downloading, verifying, installing and rebooting and then reports the new firmware version in its
 * telemetry (an artifact served by Chargeline is really downloaded with the charger's certificate and checked). Anything else is REJECTED. A share of commands fails on purpose ({@code failureRate}). A repeated
 * command id gets the same final reply again without being acted on twice.
 */
final class CommandResponder {
    private static final Logger LOG = LoggerFactory.getLogger(CommandResponder.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REMEMBERED = 256;
    private static final List<String> UPDATE_STEPS = List.of("downloading", "verifying", "installing", "rebooting");

    private final String chargerId;
    private final Mqtt5AsyncClient client;
    private final ChargerModel model;
    private final ScheduledExecutorService timer;
    private final double failureRate;
    private final Random random;
    private final Clock clock;
    private final AtomicLong replyErrors;
    private final ArtifactDownloads downloads;
    private final DeviceIdentity identity;
    /** Final replies by command id, newest last, so a repeat gets the same answer. */
    private final Map<String, ObjectNode> finished = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ObjectNode> eldest) {
            return size() > REMEMBERED;
        }
    };

    CommandResponder(DeviceIdentity identity, Mqtt5AsyncClient client, ChargerModel model, ScheduledExecutorService timer,
            double failureRate, Random random, Clock clock, AtomicLong replyErrors, ArtifactDownloads downloads) {
        this.identity = identity;
        this.downloads = downloads;
        this.chargerId = identity.chargerId();
        this.client = client;
        this.model = model;
        this.timer = timer;
        this.failureRate = failureRate;
        this.random = random;
        this.clock = clock;
        this.replyErrors = replyErrors;
    }

    void onCommand(Mqtt5Publish publish) {
        List<String> levels = publish.getTopic().getLevels();
        if (levels.size() != 3) {
            return;
        }
        String commandId = levels.get(2);
        JsonNode command;
        try {
            command = JSON.readTree(publish.getPayloadAsBytes());
        } catch (IOException e) {
            LOG.warn("{} got a command that is not JSON on {}", chargerId, publish.getTopic());
            return;
        }
        ObjectNode again;
        synchronized (finished) {
            again = finished.get(commandId);
        }
        if (again != null) {
            reply(commandId, again);
            return;
        }
        String name = command.path("name").asText();
        JsonNode payload = command.path("payload");
        boolean fail = fails();
        LOG.info("{} received command {} '{}'", chargerId, commandId, name);
        switch (name) {
            case "reboot" -> {
                reply(commandId, status("IN_PROGRESS").set("result", JSON.createObjectNode().put("step", "rebooting")));
                timer.schedule(() -> finish(commandId, fail
                        ? failed("watchdog reset during boot")
                        : succeeded(JSON.createObjectNode().put("bootedAt", clock.instant().toString()))),
                        2, TimeUnit.SECONDS);
            }
            case "get-diagnostics" -> finish(commandId, succeeded(JSON.createObjectNode()
                    .put("status", model.status().name())
                    .put("energyKwh", Math.round(model.energyKwh() * 1000) / 1000.0)
                    .put("temperature", Math.round(model.temperatureC() * 10) / 10.0)
                    .put("firmware", model.firmware())));
            case "set-config", "set-log-level" -> finish(commandId, fail
                    ? failed("configuration refused")
                    : succeeded(JSON.createObjectNode().set("applied", payload)));
            case "update" -> update(commandId, payload, fail);
            default -> finish(commandId, status("REJECTED")
                    .set("result", JSON.createObjectNode().put("reason", "unknown command " + name)));
        }
    }

    /**
     * Downloads the artifact for real when it is served by our server (and checks its SHA-256), then goes through
     * the remaining steps; other URLs are simulated from the start.
     */
    private void update(String commandId, JsonNode payload, boolean fail) {
        String version = payload.path("version").asText("");
        String url = payload.path("url").asText("");
        if (version.isEmpty() || !downloads.servedByOurServer(url)) {
            updateStep(commandId, version, 0, fail);
            return;
        }
        reply(commandId, status("IN_PROGRESS").set("result",
                JSON.createObjectNode().put("progress", 0).put("step", "downloading")));
        downloads.fetch(identity, url).whenComplete((got, error) -> {
            if (error != null) {
                finish(commandId, status("FAILED").set("result", JSON.createObjectNode()
                        .put("error", "download failed: " + rootMessage(error)).put("step", "downloading")));
            } else if (!got.sha256().equals(payload.path("sha256").asText())) {
                finish(commandId, status("FAILED").set("result", JSON.createObjectNode()
                        .put("error", "sha256 mismatch").put("step", "verifying").put("downloadedBytes", got.bytes())));
            } else {
                LOG.info("{} downloaded {} bytes for update {}", chargerId, got.bytes(), version);
                updateStep(commandId, version, 1, fail);
            }
        });
    }

    private static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** One step of a simulated update a second apart; a failing update fails while verifying. */
    private void updateStep(String commandId, String version, int step, boolean fail) {
        if (version.isEmpty()) {
            finish(commandId, status("REJECTED").set("result", JSON.createObjectNode().put("reason", "no version")));
            return;
        }
        if (step == UPDATE_STEPS.size()) {
            model.installFirmware(version);
            finish(commandId, succeeded(JSON.createObjectNode().put("version", version)));
            return;
        }
        String name = UPDATE_STEPS.get(step);
        if (fail && name.equals("verifying")) {
            finish(commandId, status("FAILED").set("result",
                    JSON.createObjectNode().put("error", "sha256 mismatch").put("step", name)));
            return;
        }
        reply(commandId, status("IN_PROGRESS").set("result",
                JSON.createObjectNode().put("progress", step * 100 / UPDATE_STEPS.size()).put("step", name)));
        timer.schedule(() -> updateStep(commandId, version, step + 1, fail), 1, TimeUnit.SECONDS);
    }

    private synchronized boolean fails() {
        return failureRate > 0 && random.nextDouble() < failureRate;
    }

    private void finish(String commandId, ObjectNode reply) {
        synchronized (finished) {
            finished.put(commandId, reply);
        }
        reply(commandId, reply);
    }

    private void reply(String commandId, ObjectNode body) {
        client.publishWith().topic("commands/" + chargerId + "/" + commandId + "/reply").qos(MqttQos.AT_LEAST_ONCE)
                .payload(body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)).send()
                .whenComplete((result, error) -> {
                    if (error != null) {
                        replyErrors.incrementAndGet();
                        LOG.warn("{} reply to {} failed: {}", chargerId, commandId, error.getMessage());
                    }
                });
    }

    private static ObjectNode status(String status) {
        return JSON.createObjectNode().put("status", status);
    }

    private static ObjectNode succeeded(ObjectNode result) {
        return status("SUCCEEDED").set("result", result);
    }

    private static ObjectNode failed(String error) {
        return status("FAILED").set("result", JSON.createObjectNode().put("error", error));
    }
}
