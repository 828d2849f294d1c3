package io.chargeline.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.chargeline.core.alarm.Alarm;
import io.chargeline.core.alarm.AlarmEvent;
import io.chargeline.core.alarm.AlarmFeed;
import io.chargeline.core.device.IssuedCertificate;
import io.chargeline.core.webhook.WebhookEventType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operators' alarm subscriptions: a persistent session that was away, even across a restart, gets every event it
 * missed from the alarm store, oldest first, from the newest one it acknowledged, then the live ones, none twice.
 */
class OperatorAlarmFeedTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALL_ALARMS = "$chargeline/alarms/#";

    @TempDir
    Path dir;

    private GatewayFixture fixture;
    private IssuedCertificate ops;
    private final List<Mqtt5AsyncClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        fixture = new GatewayFixture(dir).start();
        ops = fixture.operators.provision("ops", null);
    }

    @AfterEach
    void stop() {
        for (Mqtt5AsyncClient c : clients) {
            if (c.getState().isConnected()) {
                c.disconnect();
            }
        }
        fixture.close();
    }

    @Test
    void persistentOperator_getsWhatItMissed_oldestFirst_fromItsLastAcknowledged_evenAcrossARestart() throws Exception {
        List<String> first = new CopyOnWriteArrayList<>();
        Mqtt5AsyncClient operator = operator(ids(first));
        assertThat(connect(operator, false).isSessionPresent()).isFalse();
        subscribe(operator);
        AlarmEvent seen = fixture.announce(alarm("CH-1"), WebhookEventType.ALARM_RAISED);
        await().atMost(Duration.ofSeconds(10)).until(() -> first.size() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> acked().equals(seen.id()));
        operator.disconnect().get(10, TimeUnit.SECONDS);

        AlarmEvent missed1 = fixture.announce(alarm("CH-2"), WebhookEventType.ALARM_RAISED);
        AlarmEvent missed2 = fixture.announce(alarm("CH-2").cleared(Instant.now(),
                io.chargeline.core.alarm.ClearReason.TELEMETRY_RESUMED), WebhookEventType.ALARM_CLEARED);
        fixture.restartGateway();
        AlarmEvent afterRestart = fixture.announce(alarm("CH-3"), WebhookEventType.ALARM_RAISED);

        List<String> second = new CopyOnWriteArrayList<>();
        Mqtt5AsyncClient back = operator(ids(second));
        assertThat(connect(back, false).isSessionPresent()).as("the session outlived the restart").isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> second.size() == 3);
        AlarmEvent live = fixture.announce(alarm("CH-4"), WebhookEventType.ALARM_RAISED);
        await().atMost(Duration.ofSeconds(10)).until(() -> second.size() == 4);

        assertThat(first).containsExactly(seen.id());
        assertThat(second).containsExactly(missed1.id(), missed2.id(), afterRestart.id(), live.id());
        await().atMost(Duration.ofSeconds(10)).until(() -> live.id().equals(acked()));
    }

    @Test
    void replayLongerThanAPage_withEventsAnnouncedMeanwhile_arrivesComplete_inOrder_andNoneTwice() throws Exception {
        Mqtt5AsyncClient operator = operator(p -> {});
        connect(operator, false);
        subscribe(operator);
        operator.disconnect().get(10, TimeUnit.SECONDS);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < OperatorFeed.PAGE * 2 + 50; i++) {
            expected.add(fixture.announce(alarm("CH-" + i), WebhookEventType.ALARM_RAISED).id());
        }

        List<String> received = new CopyOnWriteArrayList<>();
        Mqtt5AsyncClient back = operator(ids(received));
        CountDownLatch release = new CountDownLatch(1);
        fixture.alarmFeeds.holdReadsAtTheEnd = release;
        assertThat(connect(back, false).isSessionPresent()).isTrue();
        // the replay has read its last page; what is announced now is not in it
        assertThat(fixture.alarmFeeds.readHeldAtTheEnd.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 300; i++) {
            expected.add(fixture.announce(alarm("CH-live-" + i), WebhookEventType.ALARM_RAISED).id());
        }
        fixture.alarmFeeds.holdReadsAtTheEnd = null;
        release.countDown();

        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= expected.size());
        Thread.sleep(200); // anything sent twice would arrive by now
        assertThat(received).containsExactlyElementsOf(expected);
    }

    @Test
    void unacknowledgedEvents_areSentAgainOnTheNextConnection() throws Exception {
        List<Mqtt5Publish> unacked = new CopyOnWriteArrayList<>();
        Mqtt5AsyncClient operator = Mqtt5Client.builder().identifier("operator:ops").serverHost("127.0.0.1")
                .serverPort(fixture.port()).sslConfig(fixture.hivemqTls(ops)).buildAsync();
        clients.add(operator);
        operator.publishes(MqttGlobalPublishFilter.ALL, unacked::add, true); // never acknowledged
        connect(operator, false);
        subscribe(operator);
        AlarmEvent event = fixture.announce(alarm("CH-1"), WebhookEventType.ALARM_RAISED);
        await().atMost(Duration.ofSeconds(10)).until(() -> unacked.size() == 1);
        operator.disconnect().get(10, TimeUnit.SECONDS);

        List<String> again = new CopyOnWriteArrayList<>();
        connect(operator(ids(again)), false);

        await().atMost(Duration.ofSeconds(10)).until(() -> again.size() == 1);
        assertThat(again).containsExactly(event.id());
    }

    @Test
    void eventLargerThanTheOperatorsMaximumPacketSize_isSkipped_asIfDelivered() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        Mqtt5AsyncClient small = operator(ids(received));
        small.connectWith().cleanStart(false).sessionExpiryInterval(3600).restrictions().maximumPacketSize(100)
                .applyRestrictions().send().get(30, TimeUnit.SECONDS);
        subscribe(small);

        AlarmEvent tooLarge = fixture.announce(alarm("CH-1"), WebhookEventType.ALARM_RAISED);

        await().atMost(Duration.ofSeconds(10)).until(() -> tooLarge.id().equals(acked()));
        assertThat(small.getState().isConnected()).isTrue();
        small.disconnect().get(10, TimeUnit.SECONDS);
        Mqtt5AsyncClient back = operator(ids(received));
        connect(back, false);
        AlarmEvent next = fixture.announce(alarm("CH-2"), WebhookEventType.ALARM_RAISED);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
        assertThat(received).containsExactly(next.id());
    }

    @Test
    void cleanStart_dropsTheKeptFeed_andGetsOnlyNewEvents() throws Exception {
        Mqtt5AsyncClient operator = operator(p -> {});
        connect(operator, false);
        subscribe(operator);
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.alarmFeeds.feeds.containsKey("operator:ops"));
        operator.disconnect().get(10, TimeUnit.SECONDS);
        fixture.announce(alarm("CH-1"), WebhookEventType.ALARM_RAISED);

        List<String> received = new CopyOnWriteArrayList<>();
        Mqtt5AsyncClient fresh = operator(ids(received));
        assertThat(connect(fresh, true).isSessionPresent()).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> !fixture.alarmFeeds.feeds.containsKey("operator:ops"));
        subscribe(fresh);
        AlarmEvent live = fixture.announce(alarm("CH-2"), WebhookEventType.ALARM_RAISED);

        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
        assertThat(received).containsExactly(live.id());
    }

    @Test
    void revocation_forgetsTheKeptFeed() throws Exception {
        Mqtt5AsyncClient operator = operator(p -> {});
        connect(operator, false);
        subscribe(operator);
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.alarmFeeds.feeds.containsKey("operator:ops"));

        fixture.operators.revoke("ops");

        await().atMost(Duration.ofSeconds(10)).until(() -> !operator.getState().isConnected());
        await().atMost(Duration.ofSeconds(10)).until(() -> !fixture.alarmFeeds.feeds.containsKey("operator:ops"));
        assertThat(fixture.gateway.keptSessions()).isZero();
    }

    private String acked() {
        AlarmFeed feed = fixture.alarmFeeds.feeds.get("operator:ops");
        return feed == null ? null : feed.ackedEventId();
    }

    private Mqtt5AsyncClient operator(Consumer<Mqtt5Publish> received) {
        Mqtt5AsyncClient client = Mqtt5Client.builder().identifier("operator:ops").serverHost("127.0.0.1")
                .serverPort(fixture.port()).sslConfig(fixture.hivemqTls(ops)).buildAsync();
        client.publishes(MqttGlobalPublishFilter.ALL, received);
        clients.add(client);
        return client;
    }

    private static Mqtt5ConnAck connect(Mqtt5AsyncClient client, boolean cleanStart) throws Exception {
        return client.connectWith().cleanStart(cleanStart).sessionExpiryInterval(3600).send().get(30, TimeUnit.SECONDS);
    }

    private static void subscribe(Mqtt5AsyncClient client) throws Exception {
        client.subscribeWith().topicFilter(ALL_ALARMS).qos(MqttQos.AT_LEAST_ONCE).send().get(10, TimeUnit.SECONDS);
    }

    /** Collects the event ids of received publishes. */
    private static Consumer<Mqtt5Publish> ids(List<String> into) {
        return p -> {
            try {
                into.add(JSON.readTree(p.getPayloadAsBytes()).get("id").asText());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private static Alarm alarm(String chargerId) {
        Instant at = Instant.now();
        return Alarm.silent(String.format("%012x%04x", at.toEpochMilli(), chargerId.hashCode() & 0xffff), chargerId,
                at, at, at.minusSeconds(300), Duration.ofMinutes(5));
    }
}
