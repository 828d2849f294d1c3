package io.chargeline.core.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chargeline.core.InvalidRequestException;
import io.chargeline.core.MutableClock;
import io.chargeline.core.telemetry.TelemetryRecord;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RuleEvaluatorTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryAlarmStore store = new InMemoryAlarmStore();
    private final AlarmBook book = new AlarmBook(store, clock, AlarmEvents.NONE, AlarmMetrics.NONE);
    private final RuleEvaluator rules = new RuleEvaluator(book, store, clock);

    @Test
    void untrackedCharger_breachInProgress_raisesNothing_otherChargersStillDo() {
        rules.add("temperature", ">", 80, Duration.ofMinutes(1));
        receive("CH-1", "{\"temperature\":85}");
        receive("CH-2", "{\"temperature\":85}");

        rules.untrack("CH-1");
        at(T0.plusSeconds(60));
        rules.runDue();

        assertThat(store.active()).extracting(Alarm::chargerId).containsExactly("CH-2");
    }

    @Test
    void aBreachThatLastsTheDuration_raisesExactlyThen_evenWithoutAnotherMessage() {
        AlarmRule rule = rules.add("temperature", ">", 80, Duration.ofMinutes(1));
        receive("CH-1", "{\"temperature\":85}");
        at(T0.plusSeconds(30));
        receive("CH-1", "{\"temperature\":86.5}");

        at(T0.plusSeconds(59));
        rules.runDue();
        assertThat(store.active()).isEmpty();

        at(T0.plusSeconds(60));
        rules.runDue();
        assertThat(store.active()).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AlarmType.THRESHOLD);
            assertThat(a.ruleId()).isEqualTo(rule.id());
            assertThat(a.deadline()).isEqualTo(T0.plusSeconds(60));
            assertThat(a.raisedAt()).isEqualTo(T0.plusSeconds(60));
            assertThat(a.lastTelemetryAt()).isEqualTo(T0.plusSeconds(30));
            assertThat(a.detail()).isEqualTo("temperature > 80.0 for PT1M (value 86.5)");
        });
    }

    @Test
    void aGoodValueWithinTheDuration_endsTheStreak() {
        rules.add("temperature", ">", 80, Duration.ofMinutes(1));
        receive("CH-1", "{\"temperature\":85}");
        at(T0.plusSeconds(30));
        receive("CH-1", "{\"temperature\":70}");

        at(T0.plusSeconds(120));
        rules.runDue();

        assertThat(store.alarms).isEmpty();
    }

    @Test
    void withoutDuration_theFirstBreachRaises_onceOnly_andAGoodValueClears() {
        rules.add("voltage", "<", 200, Duration.ZERO);
        receive("CH-1", "{\"voltage\":190}");
        receive("CH-1", "{\"voltage\":180}");
        assertThat(store.active()).hasSize(1);

        at(T0.plusSeconds(10));
        receive("CH-1", "{\"voltage\":230}");

        assertThat(store.active()).isEmpty();
        assertThat(store.alarms.values()).singleElement()
                .satisfies(a -> assertThat(a.clearedAt()).isEqualTo(T0.plusSeconds(10)));
    }

    @Test
    void missingOrNonNumericFields_changeNothing_andNestedFieldsAreFound() {
        rules.add("battery.soc", "<=", 10, Duration.ZERO);
        receive("CH-1", "{\"voltage\":230}");
        receive("CH-1", "{\"battery\":{\"soc\":\"low\"}}");
        assertThat(store.active()).isEmpty();

        receive("CH-1", "{\"battery\":{\"soc\":9}}");
        assertThat(store.active()).hasSize(1);
        receive("CH-1", "{\"voltage\":230}");
        assertThat(store.active()).as("no value is not a good value").hasSize(1);
    }

    @Test
    void eachRuleAndCharger_hasItsOwnAlarm() {
        rules.add("temperature", ">", 80, Duration.ZERO);
        rules.add("temperature", ">", 90, Duration.ZERO);
        receive("CH-1", "{\"temperature\":95}");
        receive("CH-2", "{\"temperature\":85}");

        assertThat(store.active()).hasSize(3);
        assertThat(book.activeCount("CH-1")).isEqualTo(2);
    }

    @Test
    void deletingARule_clearsItsAlarms() {
        AlarmRule rule = rules.add("temperature", ">", 80, Duration.ZERO);
        receive("CH-1", "{\"temperature\":95}");

        rules.delete(rule.id());

        assertThat(store.active()).isEmpty();
        assertThat(store.rules).isEmpty();
        assertThat(rules.rules(null, 100).items()).isEmpty();
    }

    @Test
    void rules_arePersisted() {
        AlarmRule rule = rules.add("current", ">=", 32, Duration.ofSeconds(10));

        assertThat(new RuleEvaluator(book, store, clock).rules(null, 100).items()).containsExactly(rule);
    }

    @Test
    void invalidRules_areRefusedWithTheReason() {
        assertThatThrownBy(() -> rules.add("", ">", 1, Duration.ZERO)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("field");
        assertThatThrownBy(() -> rules.add("a b", ">", 1, Duration.ZERO)).hasMessageContaining("field");
        assertThatThrownBy(() -> rules.add("t", "=>", 1, Duration.ZERO)).hasMessageContaining("op must be");
        assertThatThrownBy(() -> rules.add("t", ">", Double.NaN, Duration.ZERO)).hasMessageContaining("finite");
        assertThatThrownBy(() -> rules.add("t", ">", 1, Duration.ofSeconds(-1))).hasMessageContaining("for must");
        assertThatThrownBy(() -> rules.add("t", ">", 1, Duration.ofDays(2))).hasMessageContaining("for must");
    }

    private void receive(String chargerId, String data) {
        rules.received(new TelemetryRecord(chargerId, clock.instant(), data, clock.instant(), null));
    }

    private void at(Instant t) {
        clock.set(t);
    }
}
