package io.chargeline.core.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.chargeline.core.MutableClock;
import io.chargeline.core.webhook.WebhookEventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlarmBookTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryAlarmStore store = new InMemoryAlarmStore();
    private final List<String> heard = new ArrayList<>();

    @Test
    void attachedListeners_hearEveryChange_evenWhenAnEarlierOneFails() {
        AlarmEvents failing = event -> {
            throw new IllegalStateException("broker down");
        };
        AlarmBook book = new AlarmBook(store, clock, failing, AlarmMetrics.NONE);
        book.attach(event -> heard.add(event.type().wire() + " " + event.alarm().chargerId()));

        Alarm raised = book.raise(silent("0000000000000001", "CH-1"), true).orElseThrow();
        book.clearSilent("CH-1", T0.plusSeconds(1));

        assertThat(heard).containsExactly("alarm.raised CH-1", "alarm.cleared CH-1");
        assertThat(store.find(raised.id())).get().satisfies(a -> {
            assertThat(a.state()).isEqualTo(AlarmState.CLEARED);
            assertThat(a.clearReason()).isEqualTo(ClearReason.TELEMETRY_RESUMED);
        });
    }

    @Test
    void everyRaiseAndClear_isLoggedWithItsAlarm_inIdOrder_andIdsKeepGrowingAfterARestartWithAClockBehind() {
        List<AlarmEvent> heardEvents = new ArrayList<>();
        AlarmBook book = new AlarmBook(store, clock, heardEvents::add, AlarmMetrics.NONE);
        book.raise(silent("0000000000000001", "CH-1"), true);
        clock.advance(Duration.ofSeconds(1));
        book.clearSilent("CH-1", clock.instant());

        assertThat(store.eventsAfter(null, 10)).containsExactlyElementsOf(heardEvents);
        assertThat(heardEvents).extracting(AlarmEvent::type)
                .containsExactly(WebhookEventType.ALARM_RAISED, WebhookEventType.ALARM_CLEARED);
        assertThat(heardEvents.get(1).alarm().state()).isEqualTo(AlarmState.CLEARED);
        assertThat(heardEvents.get(0).id()).isLessThan(heardEvents.get(1).id());

        clock.set(T0.minusSeconds(60));
        AlarmBook restarted = new AlarmBook(store, clock, heardEvents::add, AlarmMetrics.NONE);
        restarted.raise(silent("0000000000000002", "CH-2"), true);
        assertThat(heardEvents.get(2).id()).isGreaterThan(heardEvents.get(1).id());
        assertThat(store.lastEventId()).contains(heardEvents.get(2).id());
    }

    @Test
    void clearAll_clearsEveryActiveAlarmOfTheCharger_withTheReason_andNoOtherCharger() {
        AlarmBook book = new AlarmBook(store, clock, AlarmEvents.NONE, AlarmMetrics.NONE);
        AlarmRule rule = new AlarmRule("r1", "t", AlarmRule.Op.GT, 80, Duration.ofMinutes(1), T0);
        Alarm silent = book.raise(silent("0000000000000001", "CH-1"), true).orElseThrow();
        Alarm hot = book.raise(Alarm.threshold("0000000000000002", "CH-1", T0, T0, T0, rule, 90), true).orElseThrow();
        Alarm other = book.raise(silent("0000000000000003", "CH-2"), true).orElseThrow();

        int cleared = book.clearAll("CH-1", T0.plusSeconds(5), ClearReason.CHARGER_REVOKED);

        assertThat(cleared).isEqualTo(2);
        assertThat(List.of(store.find(silent.id()).orElseThrow(), store.find(hot.id()).orElseThrow())).allSatisfy(a -> {
            assertThat(a.state()).isEqualTo(AlarmState.CLEARED);
            assertThat(a.clearReason()).isEqualTo(ClearReason.CHARGER_REVOKED);
            assertThat(a.clearedAt()).isEqualTo(T0.plusSeconds(5));
        });
        assertThat(book.activeCount("CH-1")).isZero();
        assertThat(book.active("CH-2", AlarmType.SILENT)).contains(other);
    }

    @Test
    void raise_forARevokedCharger_raisesNothing() {
        AlarmBook book = new AlarmBook(store, clock, AlarmEvents.NONE, AlarmMetrics.NONE, "CH-9"::equals);

        assertThat(book.raise(silent("0000000000000001", "CH-9"), true)).isEmpty();
        assertThat(book.raise(silent("0000000000000002", "CH-1"), true)).isPresent();
        assertThat(store.active()).extracting(Alarm::chargerId).containsExactly("CH-1");
    }

    private static Alarm silent(String id, String chargerId) {
        return Alarm.silent(id, chargerId, T0, T0, T0.minusSeconds(300), Duration.ofMinutes(5));
    }
}
