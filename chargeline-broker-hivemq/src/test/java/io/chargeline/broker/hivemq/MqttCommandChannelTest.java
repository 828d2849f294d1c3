package io.chargeline.broker.hivemq;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chargeline.core.command.Command;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MqttCommandChannelTest {

    @Test
    void commandPayload_carriesTheTimesWithExactlyMilliseconds() throws Exception {
        Instant issued = Instant.parse("2026-12-01T22:18:49.695952273Z");
        Command command = Command.queued("0000000000000001", "CH-1", "reboot", "{\"delay\":5}", issued,
                issued.plus(Duration.ofHours(1)));

        JsonNode body = new ObjectMapper().readTree(MqttCommandChannel.body(command));

        assertThat(body.get("commandId").asText()).isEqualTo("0000000000000001");
        assertThat(body.get("name").asText()).isEqualTo("reboot");
        assertThat(body.at("/payload/delay").asInt()).isEqualTo(5);
        assertThat(body.get("issuedAt").asText()).isEqualTo("2026-12-01T22:18:49.695Z");
        assertThat(body.get("expiresAt").asText()).isEqualTo("2026-12-01T23:18:49.695Z");
    }
}
