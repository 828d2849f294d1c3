package io.chargeline.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.chargeline.tools.bench.ApiClient;
import io.chargeline.tools.bench.Fleet;
import io.chargeline.tools.simulator.Simulator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Simulated chargers against the real platform: provisioned by CSR, publishing, some going silent. */
class SimulatorIT {
    @TempDir
    Path dir;

    @Test
    void fleet_publishesValidTelemetry_silentChargersStopAfterOneMessage_andCertificatesAreReused() throws Exception {
        try (TestPlatform server = new TestPlatform(dir.resolve("data"))) {
            ApiClient api = new ApiClient(server.uri("/"), TestPlatform.ADMIN_KEY);
            Fleet fleet = Fleet.provision(api, "sim-", 3, dir.resolve("fleet"));
            Instant from = Instant.now().minusSeconds(60);
            Simulator.Settings settings = new Simulator.Settings("127.0.0.1", server.mqttPort(),
                    Duration.ofMillis(200), Duration.ofMillis(20), 1.0 / 3, 0);

            try (Simulator simulator = new Simulator(settings, fleet, Clock.systemUTC())) {
                simulator.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> simulator.stats().acked() >= 20);
                assertThat(simulator.stats().errors()).isZero();

                String commands = "/api/v1/chargers/sim-00001/commands?wait=PT20S";
                JsonNode reboot = TestPlatform.json(server.post(commands, "{\"name\":\"reboot\"}"));
                assertThat(reboot.get("status").asText()).isEqualTo("SUCCEEDED");
                assertThat(reboot.get("transitions").findValuesAsText("status")).contains("IN_PROGRESS");
                JsonNode diagnostics = TestPlatform.json(server.post(commands, "{\"name\":\"get-diagnostics\"}"));
                assertThat(diagnostics.at("/result/firmware").asText()).isEqualTo("1.0.0");
                assertThat(TestPlatform.json(server.post(commands, "{\"name\":\"self-destruct\"}")).get("status").asText())
                        .isEqualTo("REJECTED");
                JsonNode update = TestPlatform.json(server.post(commands,
                        "{\"name\":\"update\",\"payload\":{\"version\":\"2.0.0\"}}"));
                assertThat(update.get("status").asText()).isEqualTo("SUCCEEDED");
                assertThat(update.at("/result/version").asText()).isEqualTo("2.0.0");
                await().atMost(Duration.ofSeconds(10)).until(() -> TestPlatform.json(server.get("/telemetry/sim-00001"))
                        .at("/data/firmware").asText().equals("2.0.0"));
            }

            Instant to = Instant.now().plusSeconds(60);
            assertThat(api.count("sim-00000", from, to)).isEqualTo(1); // the silent one
            assertThat(api.count("sim-00001", from, to)).isGreaterThan(3);
            assertThat(api.count("sim-00002", from, to)).isGreaterThan(3);
            assertThat(TestPlatform.json(server.get("/api/v1/dead-letters")).get("items")).isEmpty();
            assertThat(Fleet.provision(api, "sim-", 3, dir.resolve("fleet")).devices())
                    .as("a second run reuses the certificates instead of provisioning again")
                    .isEqualTo(fleet.devices());
        }
    }
}
