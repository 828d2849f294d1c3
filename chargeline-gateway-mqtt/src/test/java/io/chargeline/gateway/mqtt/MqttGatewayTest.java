package io.chargeline.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway with real clients over mutual TLS: its failure paths (when a message could not be made durable, no
 * client ever sees a successful acknowledgement), backpressure and its operator clients.
 */
class MqttGatewayTest {
    @TempDir
    Path dir;

    private GatewayFixture fixture;

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void storageFailure_mqtt5_dropsTheConnection_withoutPubAck() throws Exception {
        fixture = new GatewayFixture(dir);
        fixture.store.fail = true;
        fixture.start();
        Mqtt5AsyncClient client = fixture.hivemq("CH-1");

        CompletableFuture<Mqtt5PublishResult> publish = client.publishWith().topic("telemetry/CH-1")
                .qos(MqttQos.AT_LEAST_ONCE).payload(GatewayFixture.payload("CH-1", 0)).send();

        await().atMost(Duration.ofSeconds(10)).until(() -> !client.getState().isConnected());
        assertThat(publish).satisfiesAnyOf(
                p -> assertThat(p).isNotDone(),
                p -> assertThat(p).isCompletedExceptionally());
        assertThat(fixture.store.stored).isEmpty();
    }
}
