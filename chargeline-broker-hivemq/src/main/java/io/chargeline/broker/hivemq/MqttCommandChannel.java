package io.chargeline.broker.hivemq;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.packets.publish.PayloadFormatIndicator;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import com.hivemq.extension.sdk.api.services.publish.Publish;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import com.hivemq.extension.sdk.api.services.publish.PublishToClientResult;
import io.chargeline.core.JsonTimestamps;
import io.chargeline.core.command.Command;
import io.chargeline.core.command.CommandChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Publishes a command to its charger only (QoS 1) on {@code commands/{chargerId}/{commandId}} with {@code
 * {"commandId","name","payload","issuedAt","expiresAt"}}, and, for MQTT 5 clients, the reply topic as response
 * topic and the command id as correlation data. The message expires with the command.
 */
final class MqttCommandChannel implements CommandChannel {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicReference<PublishService> publisher;
    private final Clock clock;

    MqttCommandChannel(AtomicReference<PublishService> publisher, Clock clock) {
        this.publisher = publisher;
        this.clock = clock;
    }

    @Override
    public CompletableFuture<Boolean> send(Command c) {
        PublishService service = publisher.get();
        if (service == null) {
            return CompletableFuture.completedFuture(false);
        }
        long secondsLeft = Math.max(1, Duration.between(clock.instant(), c.expiresAt()).toSeconds());
        Publish publish = Builders.publish()
                .topic(CommandTopics.command(c.chargerId(), c.id()))
                .qos(Qos.AT_LEAST_ONCE)
                .payload(ByteBuffer.wrap(body(c)))
                .contentType("application/json")
                .payloadFormatIndicator(PayloadFormatIndicator.UTF_8)
                .responseTopic(CommandTopics.reply(c.chargerId(), c.id()))
                .correlationData(ByteBuffer.wrap(c.id().getBytes(StandardCharsets.US_ASCII)))
                .messageExpiryInterval(secondsLeft)
                .build();
        return service.publishToClient(publish, c.chargerId()).thenApply(r -> r == PublishToClientResult.SUCCESSFUL);
    }

    static byte[] body(Command c) {
        try {
            ObjectNode body = JSON.createObjectNode()
                    .put("commandId", c.id())
                    .put("name", c.name());
            body.set("payload", JSON.readTree(c.payloadJson()));
            body.put("issuedAt", JsonTimestamps.format(c.issuedAt())).put("expiresAt", JsonTimestamps.format(c.expiresAt()));
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException("command " + c.id() + " has a payload that is not JSON", e);
        }
    }
}
