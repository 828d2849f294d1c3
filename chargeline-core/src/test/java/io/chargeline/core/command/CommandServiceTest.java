package io.chargeline.core.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chargeline.core.ConflictException;
import io.chargeline.core.MutableClock;
import io.chargeline.core.NotFoundException;
import io.chargeline.core.command.CommandInbox.Reply;
import io.chargeline.core.device.DeviceService;
import io.chargeline.core.device.FakeCertificateIssuer;
import io.chargeline.core.device.InMemoryDeviceRegistry;
import io.chargeline.core.presence.PresenceListener.DisconnectReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CommandServiceTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryCommandStore store = new InMemoryCommandStore();
    private final DeviceService devices = new DeviceService(new InMemoryDeviceRegistry(), new FakeCertificateIssuer(), clock);
    private final FakeChannel channel = new FakeChannel();
    private CommandService service = newService();

    @AfterEach
    void close() {
        service.close();
    }

    @Test
    void offlineCharger_getsItsCommandsInOrder_onceConnectedAndSubscribed() {
        devices.provision("CH-1", null);
        Command first = service.issue("CH-1", "set-log-level", "{\"level\":\"debug\"}", null);
        Command second = service.issue("CH-1", "reboot", null, null);
        assertThat(channel.sent).isEmpty();

        service.connected("CH-1", T0); // connected, not yet subscribed: nothing goes out
        service.drain();
        assertThat(channel.sent).isEmpty();
        channel.subscribed.add("CH-1");
        service.subscribed("CH-1");
        service.drain();

        assertThat(channel.sent).containsExactly(first.id(), second.id());
        assertThat(service.find("CH-1", first.id()).status()).isEqualTo(CommandStatus.SENT);
        assertThat(second.payloadJson()).isEqualTo("{}");
        // a second SUBACK on the same connection does not send them again
        service.subscribed("CH-1");
        service.drain();
        assertThat(channel.sent).hasSize(2);
    }

    @Test
    void aCommandTheConnectionCannotTake_failsWithTheReason_withoutClaimingDelivery_andTheNextIsSent() {
        devices.provision("CH-1", null);
        Command large = service.issue("CH-1", "configure", "{\"blob\":\"xxxx\"}", null);
        Command next = service.issue("CH-1", "reboot", null, null);
        channel.subscribed.add("CH-1");
        service.connected("CH-1", T0);
        service.drain();

        service.undeliverable("CH-1", large.id(), "not sent: too large");
        service.undeliverable("CH-2", next.id(), "another charger's word counts for nothing");
        service.drain();

        Command failed = service.find("CH-1", large.id());
        assertThat(failed.status()).isEqualTo(CommandStatus.FAILED);
        assertThat(failed.resultJson()).isEqualTo("{\"error\":\"not sent: too large\"}");
        assertThat(failed.transitions()).extracting(Command.Transition::status)
                .containsExactly(CommandStatus.QUEUED, CommandStatus.SENT, CommandStatus.FAILED);
        assertThat(channel.sent).containsExactly(large.id(), next.id());
        assertThat(service.find("CH-1", next.id()).status()).isEqualTo(CommandStatus.SENT);
    }

    @Test
    void aPubackThatOvertakesTheSendConfirmation_stillRecordsSent() {
        devices.provision("CH-1", null);
        Command c = service.issue("CH-1", "reboot", null, null);
        channel.hold = true;
        channel.subscribed.add("CH-1");
        service.connected("CH-1", T0);
        service.drain();

        service.delivered("CH-1", c.id()); // the charger's PUBACK, before the broker confirmed the send
        service.drain();
        channel.held.get(0).complete(true);
        service.drain();

        assertThat(service.find("CH-1", c.id()).transitions()).extracting(Command.Transition::status)
                .containsExactly(CommandStatus.QUEUED, CommandStatus.SENT, CommandStatus.DELIVERED);
    }

    @Test
    void aSubackWhileASendIsStillUnanswered_isNotLost() {
        devices.provision("CH-1", null);
        Command c = service.issue("CH-1", "reboot", null, null);
        channel.hold = true;
        service.connected("CH-1", T0); // the broker has not subscribed the charger yet
        service.drain();
        assertThat(channel.held).hasSize(1);

        channel.hold = false;
        channel.subscribed.add("CH-1");
        service.subscribed("CH-1"); // its SUBACK arrives while the first send is unanswered
        service.drain();
        channel.held.get(0).complete(false);
        service.drain();

        assertThat(channel.sent).containsExactly(c.id());
        assertThat(service.find("CH-1", c.id()).status()).isEqualTo(CommandStatus.SENT);
    }

    @Test
    void unacknowledged_isSentAgainOnTheNextConnection_acknowledged_isNot() {
        devices.provision("CH-1", null);
        channel.subscribed.add("CH-1");
        service.connected("CH-1", T0);
        Command acked = service.issue("CH-1", "a", null, null);
        Command unacked = service.issue("CH-1", "b", null, null);
        service.drain();
        service.delivered("CH-1", acked.id());
        service.drain();

        service.disconnected("CH-1", T0, DisconnectReason.CONNECTION_LOST);
        service.connected("CH-1", T0.plusSeconds(5));
        service.drain();

        assertThat(channel.sent).containsExactly(acked.id(), unacked.id(), unacked.id());
        assertThat(service.find("CH-1", acked.id()).status()).isEqualTo(CommandStatus.DELIVERED);
    }

    @Test
    void replies_moveItForward_implyDelivery_andFinalIsFinal() throws Exception {
        devices.provision("CH-1", null);
        Command c = service.issue("CH-1", "update", null, null);

        Reply progress = service.reply("CH-1", c.id(), bytes("{\"status\":\"IN_PROGRESS\",\"result\":{\"progress\":30}}"));
        progress.durable().get(5, TimeUnit.SECONDS);
        Command running = service.find("CH-1", c.id());
        assertThat(running.status()).isEqualTo(CommandStatus.IN_PROGRESS);
        assertThat(running.resultJson()).isEqualTo("{\"progress\":30}");
        assertThat(running.transitions()).extracting(Command.Transition::status)
                .containsExactly(CommandStatus.QUEUED, CommandStatus.SENT, CommandStatus.DELIVERED, CommandStatus.IN_PROGRESS);
        service.reply("CH-1", c.id(), bytes("{\"status\":\"IN_PROGRESS\",\"result\":{\"progress\":80}}"))
                .durable().get(5, TimeUnit.SECONDS);
        assertThat(service.find("CH-1", c.id()).resultJson()).isEqualTo("{\"progress\":80}");

        service.reply("CH-1", c.id(), bytes("{\"status\":\"FAILED\",\"result\":{\"error\":\"disk\"}}"))
                .durable().get(5, TimeUnit.SECONDS);
        assertThat(service.find("CH-1", c.id()).status()).isEqualTo(CommandStatus.FAILED);
        assertThat(service.reply("CH-1", c.id(), bytes("{\"status\":\"SUCCEEDED\"}")).outcome())
                .isEqualTo(Reply.Outcome.NOT_OPEN);
        assertThat(service.openCount()).isZero();
    }

    @Test
    void replies_fromAnotherCharger_orMalformed_areRefused() {
        devices.provision("CH-1", null);
        devices.provision("CH-2", null);
        Command c = service.issue("CH-1", "reboot", null, null);

        assertThat(service.reply("CH-2", c.id(), bytes("{\"status\":\"SUCCEEDED\"}")).outcome())
                .isEqualTo(Reply.Outcome.NOT_OPEN);
        for (String bad : List.of("", "[]", "{}", "{\"status\":\"QUEUED\"}", "{\"status\":\"done\"}", "{\"status\":1}")) {
            assertThat(service.reply("CH-1", c.id(), bytes(bad)).outcome()).as(bad).isEqualTo(Reply.Outcome.MALFORMED);
        }
        assertThat(service.find("CH-1", c.id()).status()).isEqualTo(CommandStatus.QUEUED);
    }

    @Test
    void expiresExactlyAtItsTtl_andRestartPicksUpOpenCommands() {
        devices.provision("CH-1", null);
        Command c = service.issue("CH-1", "reboot", null, Duration.ofMinutes(10));
        service.close();
        service = newService(); // a restart: the open command is tracked again from the store

        clock.set(T0.plus(Duration.ofMinutes(10)).minusMillis(1));
        service.expireDue();
        service.drain();
        assertThat(service.find("CH-1", c.id()).status()).isEqualTo(CommandStatus.QUEUED);
        clock.set(T0.plus(Duration.ofMinutes(10)));
        service.expireDue();
        service.drain();

        Command expired = service.find("CH-1", c.id());
        assertThat(expired.status()).isEqualTo(CommandStatus.EXPIRED);
        assertThat(expired.reached(CommandStatus.EXPIRED)).contains(T0.plus(Duration.ofMinutes(10)));
    }

    @Test
    void expires_whenItsTtlEndsWithinAMillisecond_evenIfTheTimerFiresAtTheStartOfThatMillisecond() {
        devices.provision("CH-1", null);
        clock.set(T0.plusNanos(400_000)); // the system clock gives microseconds: the expiry is not on a millisecond
        Command c = service.issue("CH-1", "reboot", null, Duration.ofSeconds(1));

        clock.set(T0.plusSeconds(1)); // the timer works in milliseconds and may fire at the start of that one
        service.expireDue();
        service.drain();
        assertThat(service.find("CH-1", c.id()).status()).isEqualTo(CommandStatus.QUEUED);
        clock.set(T0.plusSeconds(1).plusMillis(1));
        service.expireDue();
        service.drain();

        assertThat(service.find("CH-1", c.id()).status()).isEqualTo(CommandStatus.EXPIRED);
    }

    @Test
    void cancel_onlyBeforeDelivery() {
        devices.provision("CH-1", null);
        Command queued = service.issue("CH-1", "reboot", null, null);
        Command delivered = service.issue("CH-1", "reboot", null, null);
        service.delivered("CH-1", delivered.id()); // not sent: ignored
        channel.subscribed.add("CH-1");
        service.connected("CH-1", T0);
        service.drain();
        service.delivered("CH-1", delivered.id());
        service.drain();

        assertThat(service.cancel("CH-1", queued.id()).status()).isEqualTo(CommandStatus.CANCELLED);
        assertThatThrownBy(() -> service.cancel("CH-1", queued.id())).isInstanceOf(ConflictException.class)
                .hasMessageContaining("already CANCELLED");
        assertThatThrownBy(() -> service.cancel("CH-1", delivered.id())).isInstanceOf(ConflictException.class)
                .hasMessageContaining("already delivered");
        assertThatThrownBy(() -> service.cancel("CH-2", queued.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> service.cancel("CH-1", "0123456789abcdef")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void awaitFinal_completesOnTheOutcome_orWithTheStateWhenTheWaitEnds() throws Exception {
        devices.provision("CH-1", null);
        Command c = service.issue("CH-1", "reboot", null, null);

        CompletableFuture<Command> shortWait = service.awaitFinal("CH-1", c.id(), Duration.ofMillis(50));
        assertThat(shortWait.get(5, TimeUnit.SECONDS).status()).isEqualTo(CommandStatus.QUEUED);
        CompletableFuture<Command> longWait = service.awaitFinal("CH-1", c.id(), Duration.ofSeconds(30));
        service.reply("CH-1", c.id(), bytes("{\"status\":\"SUCCEEDED\"}"));

        assertThat(longWait.get(5, TimeUnit.SECONDS).status()).isEqualTo(CommandStatus.SUCCEEDED);
    }

    @Test
    void issue_validatesEverything_andBoundsOpenCommandsPerCharger() {
        devices.provision("CH-1", null);
        assertThatThrownBy(() -> service.issue("CH-9", "reboot", null, null)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> service.issue("CH-1", "re boot", null, null)).hasMessageContaining("name must match");
        assertThatThrownBy(() -> service.issue("CH-1", "reboot", null, Duration.ZERO)).hasMessageContaining("ttl");
        assertThatThrownBy(() -> service.issue("CH-1", "reboot", "{\"a\":\"" + "x".repeat(70_000) + "\"}", null))
                .hasMessageContaining("at most 65536 bytes");
        for (int i = 0; i < CommandService.MAX_OPEN_PER_CHARGER; i++) {
            service.issue("CH-1", "noop", null, null);
        }
        assertThatThrownBy(() -> service.issue("CH-1", "noop", null, null)).isInstanceOf(ConflictException.class)
                .hasMessageContaining("1000 open commands");
        devices.revoke("CH-1");
        assertThatThrownBy(() -> service.issue("CH-1", "noop", null, null)).hasMessageContaining("revoked");
    }

    private CommandService newService() {
        CommandService s = new CommandService(store, devices, clock, CommandMetrics.NONE);
        s.attachChannel(channel);
        return s;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Accepts a command when its charger is subscribed; records the ids it accepted, in order. With {@code hold},
     * a send stays unanswered until the test completes it.
     */
    private static final class FakeChannel implements CommandChannel {
        final Set<String> subscribed = ConcurrentHashMap.newKeySet();
        final List<String> sent = new CopyOnWriteArrayList<>();
        final List<CompletableFuture<Boolean>> held = new CopyOnWriteArrayList<>();
        volatile boolean hold;

        @Override
        public CompletableFuture<Boolean> send(Command command) {
            if (hold) {
                CompletableFuture<Boolean> answer = new CompletableFuture<>();
                held.add(answer);
                return answer;
            }
            boolean ok = subscribed.contains(command.chargerId());
            if (ok) {
                sent.add(command.id());
            }
            return CompletableFuture.completedFuture(ok);
        }
    }
}
