package io.chargeline.core.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chargeline.core.MutableClock;
import io.chargeline.core.webhook.WebhookEventType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SilenceDetectorTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final Duration FIVE_MIN = Duration.ofMinutes(5);

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryAlarmStore store = new InMemoryAlarmStore();
    private final List<Duration> lateness = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private AlarmBook book = newBook();
    private SilenceDetector detector = new SilenceDetector(book, store, clock, FIVE_MIN);

    private AlarmBook newBook() {
        return new AlarmBook(store, clock, event -> events.add(
                (event.type() == WebhookEventType.ALARM_RAISED ? "raised " : "cleared ") + event.alarm().chargerId()),
                new AlarmMetrics() {
            @Override
            public void raised(AlarmType type, Duration late) {
                if (late != null) {
                    lateness.add(late);
                }
            }
        });
    }

    @Test
    void untrackedCharger_raisesNothingAtItsDeadline_untilItSendsAgain() {
        detector.telemetryReceived("CH-1", T0);
        detector.telemetryReceived("CH-2", T0);

        detector.untrack("CH-1");
        clock.set(T0.plus(FIVE_MIN));
        detector.runDue();

        assertThat(store.active()).extracting(Alarm::chargerId).containsExactly("CH-2");
        assertThat(detector.tracked()).isEqualTo(1);
        assertThat(detector.lastSeen("CH-1")).contains(T0);
        // provisioned again and sending: watched as before
        detector.telemetryReceived("CH-1", T0.plus(FIVE_MIN));
        clock.set(T0.plus(FIVE_MIN).plus(FIVE_MIN));
        detector.runDue();
        assertThat(store.active()).extracting(Alarm::chargerId).containsExactlyInAnyOrder("CH-1", "CH-2");
    }

    @Test
    void chargerTheBookRefuses_isLeftUnwatched_notRetried() {
        book = new AlarmBook(store, clock, AlarmEvents.NONE, AlarmMetrics.NONE, "CH-1"::equals);
        detector = new SilenceDetector(book, store, clock, FIVE_MIN);
        detector.telemetryReceived("CH-1", T0);

        clock.set(T0.plus(FIVE_MIN));

        assertThat(detector.runDue()).isEmpty();
        assertThat(store.active()).isEmpty();
        assertThat(detector.tracked()).isZero();
    }

    @Test
    void raisesAtTheDeadline_notAMillisecondBefore() {
        detector.telemetryReceived("CH-1", T0);

        clock.set(T0.plus(FIVE_MIN).minusMillis(1));
        assertThat(detector.runDue()).contains(T0.plus(FIVE_MIN));
        assertThat(store.active()).isEmpty();

        clock.set(T0.plus(FIVE_MIN));
        detector.runDue();

        assertThat(store.active()).singleElement().satisfies(a -> {
            assertThat(a.chargerId()).isEqualTo("CH-1");
            assertThat(a.type()).isEqualTo(AlarmType.SILENT);
            assertThat(a.raisedAt()).isEqualTo(T0.plus(FIVE_MIN));
            assertThat(a.deadline()).isEqualTo(T0.plus(FIVE_MIN));
            assertThat(a.lastTelemetryAt()).isEqualTo(T0);
            assertThat(a.threshold()).isEqualTo(FIVE_MIN);
        });
        assertThat(lateness).containsExactly(Duration.ZERO);
        assertThat(events).containsExactly("raised CH-1");
    }

    @Test
    void telemetryBeforeTheDeadline_movesIt() {
        detector.telemetryReceived("CH-1", T0);
        clock.set(T0.plus(Duration.ofMinutes(4)));
        detector.telemetryReceived("CH-1", clock.instant());

        clock.set(T0.plus(FIVE_MIN));
        detector.runDue();
        assertThat(store.active()).isEmpty();

        clock.set(T0.plus(Duration.ofMinutes(9)));
        detector.runDue();
        assertThat(store.active()).singleElement()
                .satisfies(a -> assertThat(a.lastTelemetryAt()).isEqualTo(T0.plus(Duration.ofMinutes(4))));
    }

    @Test
    void telemetryAfterTheAlarm_clearsIt_andTheNextSilenceIsANewAlarm() {
        detector.telemetryReceived("CH-1", T0);
        clock.set(T0.plus(FIVE_MIN));
        detector.runDue();
        String first = store.active().get(0).id();

        Instant back = T0.plus(Duration.ofMinutes(7));
        clock.set(back);
        detector.telemetryReceived("CH-1", back);
        assertThat(detector.runDue()).contains(back.plus(FIVE_MIN));

        assertThat(store.find(first)).get().satisfies(a -> {
            assertThat(a.state()).isEqualTo(AlarmState.CLEARED);
            assertThat(a.clearedAt()).isEqualTo(back);
        });
        clock.set(back.plus(FIVE_MIN));
        detector.runDue();
        assertThat(store.active()).singleElement().satisfies(a -> assertThat(a.id()).isNotEqualTo(first));
        assertThat(store.alarms).hasSize(2);
        assertThat(events).containsExactly("raised CH-1", "cleared CH-1", "raised CH-1");
    }

    @Test
    void stillSilent_neverRaisesASecondActiveAlarm() {
        detector.telemetryReceived("CH-1", T0);
        for (int minutes = 5; minutes < 60; minutes++) {
            clock.set(T0.plus(Duration.ofMinutes(minutes)));
            detector.runDue();
        }
        assertThat(store.alarms).hasSize(1);
    }

    @Test
    void perChargerOverride_shortensAndLengthensTheDeadline() {
        detector.telemetryReceived("CH-short", T0);
        detector.telemetryReceived("CH-long", T0);
        detector.setThreshold("CH-short", Duration.ofMinutes(2));
        detector.setThreshold("CH-long", Duration.ofMinutes(10));

        clock.set(T0.plus(Duration.ofMinutes(2)));
        detector.runDue();
        assertThat(store.active()).extracting(Alarm::chargerId).containsExactly("CH-short");
        assertThat(store.active().get(0).threshold()).isEqualTo(Duration.ofMinutes(2));

        clock.set(T0.plus(FIVE_MIN));
        detector.runDue();
        assertThat(store.active()).extracting(Alarm::chargerId).containsExactly("CH-short");

        clock.set(T0.plus(Duration.ofMinutes(10)));
        detector.runDue();
        assertThat(store.active()).extracting(Alarm::chargerId).containsExactlyInAnyOrder("CH-short", "CH-long");
        assertThat(store.thresholds).containsEntry("CH-short", Duration.ofMinutes(2));
        assertThat(detector.threshold("CH-long")).isEqualTo(Duration.ofMinutes(10));
        assertThat(detector.threshold("CH-other")).isEqualTo(FIVE_MIN);
    }

    @Test
    void removingTheOverride_fallsBackToTheDefault() {
        detector.setThreshold("CH-1", Duration.ofMinutes(1));
        detector.setThreshold("CH-1", null);

        assertThat(detector.threshold("CH-1")).isEqualTo(FIVE_MIN);
        assertThat(detector.hasOverride("CH-1")).isFalse();
        assertThat(store.thresholds).doesNotContainKey("CH-1");
    }

    @Test
    void acknowledgement_survivesTheClear() {
        detector.telemetryReceived("CH-1", T0);
        clock.set(T0.plus(FIVE_MIN));
        detector.runDue();
        Alarm acked = book.acknowledge(store.active().get(0).id(), "operator-1");

        detector.telemetryReceived("CH-1", clock.instant());
        detector.runDue();

        assertThat(store.find(acked.id())).get().satisfies(a -> {
            assertThat(a.state()).isEqualTo(AlarmState.CLEARED);
            assertThat(a.acknowledgedBy()).isEqualTo("operator-1");
            assertThat(a.acknowledgedAt()).isEqualTo(T0.plus(FIVE_MIN));
        });
    }

    @Test
    void restart_raisesAtOnceForChargersOverdueBeforeTheStop_andGivesTheOthersTheirThresholdFromStart() {
        Instant stop = T0.plus(Duration.ofMinutes(10));
        store.alive = stop;
        Instant start = stop.plus(Duration.ofMinutes(30)); // longer down than any threshold
        clock.set(start);
        Map<String, Instant> lastSeen = Map.of(
                "CH-overdue", T0,                              // due at T0+5m, before the stop
                "CH-fine", stop.minusSeconds(10),              // sending until the stop
                "CH-due-while-down", stop.minusSeconds(200));  // due 100 s after the stop

        detector.recover(lastSeen);
        detector.runDue();

        assertThat(store.active()).extracting(Alarm::chargerId).containsExactly("CH-overdue");
        assertThat(lateness).as("a catch-up is not detector lateness").isEmpty();
        clock.set(start.plus(FIVE_MIN).minusMillis(1));
        detector.runDue();
        assertThat(store.active()).hasSize(1);

        clock.set(start.plus(FIVE_MIN));
        detector.runDue();
        assertThat(store.active()).extracting(Alarm::chargerId)
                .containsExactlyInAnyOrder("CH-overdue", "CH-fine", "CH-due-while-down");
    }

    @Test
    void restart_chargerThatReportsInTheGrace_raisesNothing() {
        store.alive = T0;
        clock.set(T0.plus(Duration.ofHours(1)));
        detector.recover(Map.of("CH-1", T0.minusSeconds(5)));

        detector.telemetryReceived("CH-1", clock.instant().plusSeconds(30));
        clock.advance(FIVE_MIN);
        detector.runDue();

        assertThat(store.alarms).isEmpty();
    }

    @Test
    void restart_keepsActiveAlarms_andClearsThemOnTelemetry_withoutDuplicates() {
        detector.telemetryReceived("CH-1", T0);
        clock.set(T0.plus(FIVE_MIN));
        detector.runDue();
        detector.close();

        clock.set(T0.plus(Duration.ofMinutes(20)));
        book = newBook();
        detector = new SilenceDetector(book, store, clock, FIVE_MIN);
        detector.recover(Map.of("CH-1", T0));
        clock.advance(Duration.ofMinutes(30));
        detector.runDue();
        assertThat(store.alarms).hasSize(1);

        detector.telemetryReceived("CH-1", clock.instant());
        detector.runDue();
        assertThat(store.active()).isEmpty();
    }

    @Test
    void firstStartEver_givesEveryoneTheGrace() {
        clock.set(T0.plus(Duration.ofHours(2)));
        detector.recover(Map.of("CH-1", T0));

        detector.runDue();
        assertThat(store.active()).isEmpty();
        clock.advance(FIVE_MIN);
        detector.runDue();
        assertThat(store.active()).hasSize(1);
    }

    @Test
    void liveness_isMarkedSoARestartKnowsWhenTheServerStopped() {
        detector.runDue();
        assertThat(store.alive).isEqualTo(T0);
        clock.advance(Duration.ofSeconds(3));
        detector.close();
        assertThat(store.alive).isEqualTo(T0.plusSeconds(3));
    }

    @Test
    void timerThread_raisesOnTheRealClock() {
        InMemoryAlarmStore real = new InMemoryAlarmStore();
        AlarmBook realBook = new AlarmBook(real, Clock.systemUTC(), AlarmEvents.NONE, AlarmMetrics.NONE);
        try (SilenceDetector live = new SilenceDetector(realBook, real, Clock.systemUTC(), Duration.ofMillis(300))) {
            live.start();
            live.telemetryReceived("CH-1", Instant.now());

            await().atMost(Duration.ofSeconds(10)).until(() -> real.active().size() == 1);
            live.telemetryReceived("CH-1", Instant.now());
            await().atMost(Duration.ofSeconds(10)).until(() -> real.active().isEmpty());
        }
    }
}
