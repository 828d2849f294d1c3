package io.chargeline.tools.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chargeline.core.telemetry.TelemetryValidator;
import io.chargeline.core.telemetry.ValidationOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChargerModelTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aDayOfTelemetry_isValid_energyNeverDecreases_andChargingHappens() throws Exception {
        ChargerModel model = new ChargerModel("CH-sim", 7);
        Instant t = Instant.parse("2026-11-26T00:00:00Z");
        TelemetryValidator validator = new TelemetryValidator(Clock.fixed(t.plus(Duration.ofDays(1)), ZoneOffset.UTC),
                Duration.ofDays(90));
        double lastEnergy = 0;
        Set<ChargerModel.Status> seen = EnumSet.noneOf(ChargerModel.Status.class);

        for (int i = 0; i < 8640; i++, t = t.plusSeconds(10)) {
            String message = model.step(Duration.ofSeconds(10), t);
            byte[] bytes = message.getBytes(StandardCharsets.UTF_8);

            assertThat(validator.validate("telemetry/CH-sim", "CH-sim", bytes, t)).isInstanceOf(ValidationOutcome.Accepted.class);
            JsonNode data = JSON.readTree(message).get("data");
            assertThat(data.get("energy").asDouble()).isGreaterThanOrEqualTo(lastEnergy);
            assertThat(data.get("power").asDouble()).isBetween(0.0, 22.0);
            lastEnergy = data.get("energy").asDouble();
            seen.add(ChargerModel.Status.valueOf(data.get("status").asText()));
        }

        assertThat(seen).contains(ChargerModel.Status.AVAILABLE, ChargerModel.Status.PREPARING,
                ChargerModel.Status.CHARGING, ChargerModel.Status.FINISHING);
    }

    @Test
    void sameSeed_sameTelemetry() {
        ChargerModel a = new ChargerModel("CH-a", 3);
        ChargerModel b = new ChargerModel("CH-a", 3);
        Instant t = Instant.parse("2026-11-26T00:00:00Z");

        for (int i = 0; i < 500; i++) {
            assertThat(a.step(Duration.ofSeconds(10), t)).isEqualTo(b.step(Duration.ofSeconds(10), t));
        }
    }
}
