package io.chargeline.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.chargeline.core.command.Command;
import io.chargeline.core.command.CommandInbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MqttCommandChannelTest {
    @TempDir
    Path dir;

    private GatewayFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

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

    @Test
    void command_reachesItsSubscribedCharger_withReplyTopicCorrelationAndExpiry_mqtt5() throws Exception {
        fixture = new GatewayFixture(dir).start();
        Mqtt5AsyncClient charger = fixture.hivemq("CH-1");
        List<Mqtt5Publish> received = new CopyOnWriteArrayList<>();
        charger.subscribeWith().topicFilter("commands/CH-1/#").qos(MqttQos.AT_LEAST_ONCE).callback(received::add)
                .send().get(10, TimeUnit.SECONDS);
        Instant now = Instant.now();
        Command command = Command.queued("0000018f00000002", "CH-1", "reboot", "{\"delay\":5}", now,
                now.plus(Duration.ofMinutes(10)));

        assertThat(fixture.gateway.commandChannel().send(command).get(10, TimeUnit.SECONDS)).isTrue();

        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
        Mqtt5Publish publish = received.get(0);
        assertThat(publish.getTopic().toString()).isEqualTo("commands/CH-1/0000018f00000002");
        assertThat(publish.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
        assertThat(publish.getResponseTopic()).hasValueSatisfying(
                t -> assertThat(t.toString()).isEqualTo("commands/CH-1/0000018f00000002/reply"));
        assertThat(publish.getCorrelationData()).hasValueSatisfying(
                c -> assertThat(StandardCharsets.US_ASCII.decode(c).toString()).isEqualTo("0000018f00000002"));
        assertThat(publish.getMessageExpiryInterval().orElseThrow()).isBetween(1L, 600L);
        JsonNode body = new ObjectMapper().readTree(publish.getPayloadAsBytes());
        assertThat(body.get("commandId").asText()).isEqualTo("0000018f00000002");
        charger.disconnect().get(10, TimeUnit.SECONDS);
    }

    @Test
    void command_isNotSent_toAChargerThatIsAwayOrNotSubscribed() throws Exception {
        fixture = new GatewayFixture(dir).start();
        Mqtt5AsyncClient unsubscribed = fixture.hivemq("CH-2");
        Instant now = Instant.now();

        assertThat(fixture.gateway.commandChannel().send(Command.queued("0000018f00000003", "CH-2", "reboot", "{}",
                now, now.plusSeconds(60))).get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(fixture.gateway.commandChannel().send(Command.queued("0000018f00000004", "CH-away", "reboot", "{}",
                now, now.plusSeconds(60))).get(10, TimeUnit.SECONDS)).isFalse();
        unsubscribed.disconnect().get(10, TimeUnit.SECONDS);
    }

    @Test
    void command_largerThanTheChargersMaximumPacketSize_isNotSent_andFailsWithTheReason_mqtt5() throws Exception {
        List<String> undeliverable = new CopyOnWriteArrayList<>();
        fixture = new GatewayFixture(dir);
        fixture.commands = new CommandInbox() {
            @Override
            public void subscribed(String chargerId) {}

            @Override
            public void delivered(String chargerId, String commandId) {}

            @Override
            public void undeliverable(String chargerId, String commandId, String reason) {
                undeliverable.add(chargerId + " " + commandId + " " + reason);
            }

            @Override
            public Reply reply(String chargerId, String commandId, byte[] payload) {
                return Reply.refused(Reply.Outcome.NOT_OPEN, "not in this test");
            }
        };
        fixture.start();
        Mqtt5AsyncClient charger = Mqtt5Client.builder().identifier("CH-1").serverHost("127.0.0.1")
                .serverPort(fixture.port()).sslConfig(fixture.hivemqTls(fixture.charger("CH-1"))).buildAsync();
        charger.connectWith().restrictions().maximumPacketSize(600).applyRestrictions().send().get(30, TimeUnit.SECONDS);
        List<Mqtt5Publish> received = new CopyOnWriteArrayList<>();
        charger.subscribeWith().topicFilter("commands/CH-1/#").qos(MqttQos.AT_LEAST_ONCE).callback(received::add)
                .send().get(10, TimeUnit.SECONDS);
        Instant now = Instant.now();
        String large = "{\"config\":\"" + "x".repeat(2000) + "\"}";

        assertThat(fixture.gateway.commandChannel().send(Command.queued("0000018f00000005", "CH-1", "configure", large,
                now, now.plusSeconds(600))).get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(fixture.gateway.commandChannel().send(Command.queued("0000018f00000006", "CH-1", "reboot", "{}",
                now, now.plusSeconds(600))).get(10, TimeUnit.SECONDS)).isTrue();

        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1 && undeliverable.size() == 1);
        assertThat(received.get(0).getTopic().toString()).isEqualTo("commands/CH-1/0000018f00000006");
        assertThat(undeliverable.get(0)).startsWith("CH-1 0000018f00000005 not sent: the packet (")
                .endsWith("exceeds the client's Maximum Packet Size of 600 bytes");
        assertThat(charger.getState().isConnected()).isTrue();
        charger.disconnect().get(10, TimeUnit.SECONDS);
    }
}
