package io.chargeline.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chargeline.core.InvalidRequestException;
import io.chargeline.core.MutableClock;
import io.chargeline.core.alarm.Alarm;
import io.chargeline.core.alarm.AlarmEvent;
import io.chargeline.core.alarm.ClearReason;
import io.chargeline.core.presence.PresenceListener.DisconnectReason;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WebhookDispatcherTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final String SECRET = "a-secret-of-some-length";
    private static final RetryPolicy POLICY = new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(10), Duration.ofHours(1));

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryWebhookStore store = new InMemoryWebhookStore();
    private final ScriptedResolver resolver = new ScriptedResolver();
    private final WebhookTargetPolicy targets = new WebhookTargetPolicy(List.of(), Set::of, resolver);
    private final ScriptedSender sender = new ScriptedSender(targets);
    private final CountingMetrics metrics = new CountingMetrics();
    private final WebhookRegistry registry = new WebhookRegistry(store, clock, targets);
    private WebhookDispatcher dispatcher = new WebhookDispatcher(registry, store, sender, clock, POLICY, metrics);

    @Test
    void delivery_isSignedOverTheExactBody_withEventAndDeliveryHeaders() throws Exception {
        Webhook hook = registry.register("https://ops.example/hook", SECRET, List.of("alarm.raised"));

        dispatcher.announced(raised());
        assertThat(dispatcher.runDue()).isEqualTo(1);

        Sent sent = sender.sent.get(0);
        assertThat(sent.url).isEqualTo(URI.create("https://ops.example/hook"));
        assertThat(sent.addresses).as("the checked addresses").containsExactly(ScriptedResolver.PUBLIC);
        assertThat(sent.headers).containsEntry("X-Chargeline-Event", "alarm.raised")
                .containsEntry("Content-Type", "application/json")
                .containsEntry("X-Chargeline-Signature", "sha256=" + hmacHex(SECRET, sent.body));
        JsonNode body = new ObjectMapper().readTree(sent.body);
        assertThat(body.get("type").asText()).isEqualTo("alarm.raised");
        assertThat(body.at("/data/chargerId").asText()).isEqualTo("CH-1");
        assertThat(body.at("/data/type").asText()).isEqualTo("SILENT");
        assertThat(onlyDelivery(hook).state()).isEqualTo(DeliveryState.DELIVERED);
        assertThat(dispatcher.pending()).isZero();
    }

    @Test
    void onlySubscribedEvents_areDelivered_andATakeoverIsNotOffline() {
        registry.register("https://a.example/", SECRET, List.of("charger.offline"));
        registry.register("https://b.example/", SECRET, List.of("alarm.cleared"));

        dispatcher.announced(raised());
        dispatcher.disconnected("CH-1", T0, DisconnectReason.TAKEN_OVER);
        dispatcher.disconnected("CH-1", T0, DisconnectReason.KEEP_ALIVE_TIMEOUT);
        dispatcher.runDue();

        assertThat(sender.sent).singleElement().satisfies(s -> {
            assertThat(s.url.getHost()).isEqualTo("a.example");
            assertThat(new String(s.body, StandardCharsets.UTF_8)).contains("KEEP_ALIVE_TIMEOUT");
        });
    }

    @Test
    void failures_areRetriedWithGrowingBackoff_untilA2xx() {
        Webhook hook = registry.register("https://ops.example/hook", SECRET, List.of("alarm.raised"));
        sender.answers.add(500);
        sender.answers.add(-1); // connection refused
        sender.answers.add(204);

        dispatcher.announced(raised());
        dispatcher.runDue();
        Delivery afterFirst = onlyDelivery(hook);
        assertThat(afterFirst.state()).isEqualTo(DeliveryState.PENDING);
        assertThat(afterFirst.lastError()).isEqualTo("HTTP 500");
        assertThat(Duration.between(T0, afterFirst.nextAttemptAt())).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(dispatcher.runDue()).as("not before its time").isZero();

        clock.set(afterFirst.nextAttemptAt());
        dispatcher.runDue();
        Delivery afterSecond = onlyDelivery(hook);
        assertThat(afterSecond.lastError()).contains("ConnectException");
        assertThat(Duration.between(clock.instant(), afterSecond.nextAttemptAt()))
                .isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));

        clock.set(afterSecond.nextAttemptAt());
        dispatcher.runDue();
        assertThat(onlyDelivery(hook).state()).isEqualTo(DeliveryState.DELIVERED);
        assertThat(onlyDelivery(hook).attempts()).isEqualTo(3);
        assertThat(sender.sent).hasSize(3).extracting(s -> s.headers.get("X-Chargeline-Delivery")).containsOnly(
                onlyDelivery(hook).id());
    }

    @Test
    void aReceiverThatNeverRecovers_isGivenUpAfterThePolicysTime_andKeptAsFailed() {
        Webhook hook = registry.register("https://ops.example/hook", SECRET, List.of("alarm.raised"));
        sender.always = 503;

        dispatcher.announced(raised());
        int attempts = 0;
        while (onlyDelivery(hook).state() == DeliveryState.PENDING && attempts < 100) {
            clock.set(onlyDelivery(hook).nextAttemptAt());
            attempts += dispatcher.runDue();
        }

        Delivery failed = onlyDelivery(hook);
        assertThat(failed.state()).isEqualTo(DeliveryState.FAILED);
        assertThat(failed.lastStatus()).isEqualTo(503);
        assertThat(failed.finishedAt()).isBefore(T0.plus(POLICY.giveUpAfter()));
        assertThat(Duration.between(T0, failed.finishedAt())).isGreaterThan(POLICY.giveUpAfter().minus(POLICY.longest()));
        assertThat(dispatcher.pending()).isZero();
    }

    @Test
    void pendingDeliveries_resumeAfterARestart() {
        Webhook hook = registry.register("https://ops.example/hook", SECRET, List.of("alarm.raised"));
        sender.answers.add(500);
        dispatcher.announced(raised());
        dispatcher.runDue();

        dispatcher = new WebhookDispatcher(new WebhookRegistry(store, clock, targets), store, sender, clock, POLICY,
                WebhookMetrics.NONE);
        dispatcher.resume();
        clock.advance(Duration.ofMinutes(1));
        dispatcher.runDue();

        assertThat(onlyDelivery(hook).state()).isEqualTo(DeliveryState.DELIVERED);
    }

    @Test
    void deletingAWebhook_dropsItsPendingDeliveries() {
        Webhook hook = registry.register("https://ops.example/hook", SECRET, List.of("alarm.raised"));
        dispatcher.announced(raised());

        registry.delete(hook.id());
        dispatcher.runDue();

        assertThat(sender.sent).isEmpty();
        assertThat(dispatcher.pending()).isZero();
    }

    @Test
    void deletingAWebhook_withRetriesWaiting_stopsCountingThemAtOnce_andSendsNothingMore() {
        Webhook doomed = registry.register("https://ops.example/hook", SECRET, List.of("alarm.raised"));
        Webhook kept = registry.register("https://other.example/hook", SECRET, List.of("alarm.cleared"));
        sender.always = 503;
        dispatcher.announced(raised());
        dispatcher.announced(raised());
        dispatcher.announced(cleared());
        dispatcher.runDue();
        assertThat(store.deliveries(doomed.id(), 10, null).items()).hasSize(2)
                .allSatisfy(d -> assertThat(d.state()).isEqualTo(DeliveryState.PENDING));
        assertThat(dispatcher.pending()).isEqualTo(3);
        int sentBefore = sender.sent.size();

        registry.delete(doomed.id());

        assertThat(dispatcher.pending()).as("the gauge drops with the delete, not at the next retry").isEqualTo(1);
        clock.advance(Duration.ofHours(2));
        dispatcher.runDue();
        assertThat(sender.sent.subList(sentBefore, sender.sent.size()))
                .allSatisfy(s -> assertThat(s.url.getHost()).isEqualTo("other.example")).isNotEmpty();
        assertThat(dispatcher.pending()).as("the kept webhook's delivery gave up after the policy's hour").isZero();
        assertThat(store.deliveries(doomed.id(), 10, null).items()).isEmpty();
        assertThat(onlyDelivery(kept).state()).isEqualTo(DeliveryState.FAILED);
    }

    @Test
    void aNameThatMovesToARefusedAddress_afterRegistration_failsAtOnce_withoutRetries() {
        resolver.answer("hooks.example", "203.0.113.30");
        Webhook hook = registry.register("https://hooks.example/in", SECRET, List.of("alarm.raised"));
        dispatcher.announced(raised());
        dispatcher.runDue();
        assertThat(sender.sent).singleElement().satisfies(s -> assertThat(s.addresses)
                .containsExactly(ScriptedResolver.address("203.0.113.30")));

        resolver.answer("hooks.example", "169.254.169.254"); // DNS rebinding: the same name, now the metadata service
        dispatcher.announced(raised());
        dispatcher.runDue();

        assertThat(sender.sent).as("nothing sent to the new address").hasSize(1);
        Delivery refused = store.deliveries(hook.id(), 10, null).items().get(0);
        assertThat(refused.state()).isEqualTo(DeliveryState.FAILED);
        assertThat(refused.attempts()).isZero();
        assertThat(refused.nextAttemptAt()).isNull();
        assertThat(refused.lastError()).startsWith("refused: hooks.example resolves to 169.254.169.254, a link-local");
        assertThat(refused.lastError()).doesNotContain(SECRET);
        assertThat(dispatcher.pending()).isZero();
        assertThat(metrics.refused).isEqualTo(1);
        assertThat(metrics.deadLettered).isZero();
        clock.advance(Duration.ofHours(2));
        assertThat(dispatcher.runDue()).as("no retry is left").isZero();
    }

    @Test
    void aWebhookStoredBeforeThePolicy_toALoopbackAddress_hasItsDeliveriesRefused() {
        store.saveWebhook(new Webhook("00000000000b0000", URI.create("http://127.0.0.1:8080/api/v1/devices"), SECRET,
                Set.of(WebhookEventType.ALARM_RAISED), T0));
        WebhookRegistry reloaded = new WebhookRegistry(store, clock, targets);
        dispatcher = new WebhookDispatcher(reloaded, store, sender, clock, POLICY, metrics);

        dispatcher.announced(raised());
        dispatcher.runDue();

        assertThat(sender.sent).isEmpty();
        Delivery refused = onlyDelivery(reloaded.get("00000000000b0000"));
        assertThat(refused.state()).isEqualTo(DeliveryState.FAILED);
        assertThat(refused.lastError()).startsWith("refused: 127.0.0.1 is a loopback address (127.0.0.0/8)");
        assertThat(metrics.refused).isEqualTo(1);
    }

    @Test
    void aNameThatStopsResolving_isRetried_notRefused() {
        resolver.answer("hooks.example", "203.0.113.30");
        Webhook hook = registry.register("https://hooks.example/in", SECRET, List.of("alarm.raised"));
        HostResolver down = host -> {
            throw new UnknownHostException(host + ": Temporary failure in name resolution");
        };
        WebhookTargetPolicy dnsDown = new WebhookTargetPolicy(List.of(), Set::of, down);
        dispatcher = new WebhookDispatcher(registry, store, new ScriptedSender(dnsDown), clock, POLICY, metrics);

        dispatcher.announced(raised());
        dispatcher.runDue();

        Delivery d = onlyDelivery(hook);
        assertThat(d.state()).isEqualTo(DeliveryState.PENDING);
        assertThat(d.lastError()).startsWith("UnknownHostException");
        assertThat(metrics.refused).isZero();
    }

    @Test
    void registration_refusesWhatCannotWork_andNeverShowsTheSecret() {
        assertThatThrownBy(() -> registry.register("ftp://x/", SECRET, List.of("alarm.raised")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("http or https");
        assertThatThrownBy(() -> registry.register("/relative", SECRET, List.of("alarm.raised")))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> registry.register("https://u:p@x.example/", SECRET, List.of("alarm.raised")))
                .hasMessageContaining("credentials");
        assertThatThrownBy(() -> registry.register("https://x.example/", "short", List.of("alarm.raised")))
                .hasMessageContaining("secret");
        assertThatThrownBy(() -> registry.register("https://x.example/", SECRET, List.of()))
                .hasMessageContaining("at least one");
        assertThatThrownBy(() -> registry.register("https://x.example/", SECRET, List.of("alarm.exploded")))
                .hasMessageContaining("unknown event alarm.exploded");
        Webhook ok = registry.register("https://x.example/", SECRET, List.of("alarm.raised"));
        assertThat(ok.toString()).doesNotContain(SECRET);
    }

    @Test
    void backoff_staysWithinHalfToFullOfTheDoublingStep_cappedAtTheLongest() {
        RetryPolicy p = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofHours(24));
        for (int i = 0; i < 200; i++) {
            assertThat(p.backoff(1)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
            assertThat(p.backoff(4)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(8));
            assertThat(p.backoff(30)).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(60));
            assertThat(p.backoff(500)).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(60));
        }
    }

    @Test
    void presenceEvents_writeTheirTimesWithExactlyMilliseconds() throws Exception {
        registry.register("https://ops.example/hook", SECRET, List.of("charger.online", "charger.offline"));
        Instant nanos = Instant.parse("2026-12-01T22:18:49.695952273Z");
        clock.set(nanos);

        dispatcher.connected("CH-1", nanos);
        dispatcher.disconnected("CH-1", nanos.plusNanos(1_000_000), DisconnectReason.KEEP_ALIVE_TIMEOUT);
        dispatcher.runDue();

        assertThat(sender.sent).hasSize(2);
        ObjectMapper json = new ObjectMapper();
        JsonNode online = json.readTree(sender.sent.get(0).body);
        JsonNode offline = json.readTree(sender.sent.get(1).body);
        assertThat(online.get("createdAt").asText()).isEqualTo("2026-12-01T22:18:49.695Z");
        assertThat(online.at("/data/at").asText()).isEqualTo("2026-12-01T22:18:49.695Z");
        assertThat(offline.at("/data/at").asText()).isEqualTo("2026-12-01T22:18:49.696Z");
    }

    private Delivery onlyDelivery(Webhook hook) {
        List<Delivery> all = store.deliveries(hook.id(), 10, null).items();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    private static Alarm alarm() {
        return Alarm.silent("00000000000a0000", "CH-1", T0, T0, T0.minusSeconds(300), Duration.ofMinutes(5));
    }

    private static AlarmEvent raised() {
        return new AlarmEvent("00000000000a0001", WebhookEventType.ALARM_RAISED, T0, alarm());
    }

    private static AlarmEvent cleared() {
        return new AlarmEvent("00000000000a0002", WebhookEventType.ALARM_CLEARED, T0,
                alarm().cleared(T0, ClearReason.TELEMETRY_RESUMED));
    }

    private static String hmacHex(String secret, byte[] body) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return java.util.HexFormat.of().formatHex(mac.doFinal(body));
    }

    private record Sent(URI url, List<InetAddress> addresses, byte[] body, Map<String, String> headers) {}

    private static final class CountingMetrics implements WebhookMetrics {
        int refused;
        int deadLettered;

        @Override
        public void refused() {
            refused++;
        }

        @Override
        public void deadLettered() {
            deadLettered++;
        }
    }

    /**
     * Checks the host with the policy, as {@link WebhookSender} requires of every sender (a refusal or an
     * unresolvable name is thrown and nothing is sent), then answers with scripted statuses (-1 = connection
     * refused), then {@link #always}.
     */
    private static final class ScriptedSender implements WebhookSender {
        final List<Sent> sent = new ArrayList<>();
        final Deque<Integer> answers = new ArrayDeque<>();
        final WebhookTargetPolicy targets;
        int always = 200;

        ScriptedSender(WebhookTargetPolicy targets) {
            this.targets = targets;
        }

        @Override
        public int post(URI url, byte[] body, Map<String, String> headers) throws IOException {
            List<InetAddress> addresses = targets.checkedAddresses(url.getHost());
            sent.add(new Sent(url, addresses, body, headers));
            int answer = answers.isEmpty() ? always : answers.poll();
            if (answer < 0) {
                throw new ConnectException("Connection refused");
            }
            return answer;
        }
    }
}
