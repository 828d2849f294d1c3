package io.chargeline.gateway.mqtt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chargeline.core.command.Command;
import io.chargeline.core.command.CommandChannel;
import io.chargeline.core.telemetry.JsonTimestamps;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes a command to its charger only (QoS 1) on {@code commands/{chargerId}/{commandId}} with {@code
 * {"commandId","name","payload","issuedAt","expiresAt"}}, and, for MQTT 5 clients, the reply topic as response
 * topic and the command id as correlation data. The message expires with the command.
 */
final class MqttCommandChannel implements CommandChannel {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Sessions sessions;
    private final Clock clock;

    MqttCommandChannel(Sessions sessions, Clock clock) {
        this.sessions = sessions;
        this.clock = clock;
    }

    @Override
    public CompletableFuture<Boolean> send(Command c) {
        ClientConnection connection = sessions.live(c.chargerId());
        if (connection == null) {
            return CompletableFuture.completedFuture(false);
        }
        OutboundMessage message = OutboundMessage.command(CommandTopics.command(c.chargerId(), c.id()), body(c),
                properties(c), c.id());
        CompletableFuture<Boolean> sent = new CompletableFuture<>();
        connection.channel.eventLoop().execute(() -> {
            if (connection.closing() || !connection.session.subscribedTo(message.topic())) {
                sent.complete(false);
                return;
            }
            connection.send(message);
            sent.complete(true);
        });
        return sent;
    }

    private MqttProperties properties(Command c) {
        long secondsLeft = Math.max(1, Duration.between(clock.instant(), c.expiresAt()).toSeconds());
        MqttProperties p = JsonPublishProperties.json();
        p.add(new MqttProperties.StringProperty(MqttPropertyType.RESPONSE_TOPIC.value(),
                CommandTopics.reply(c.chargerId(), c.id())));
        p.add(new MqttProperties.BinaryProperty(MqttPropertyType.CORRELATION_DATA.value(),
                c.id().getBytes(StandardCharsets.US_ASCII)));
        p.add(new MqttProperties.IntegerProperty(MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value(),
                (int) Math.min(Integer.MAX_VALUE, secondsLeft)));
        return p;
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
