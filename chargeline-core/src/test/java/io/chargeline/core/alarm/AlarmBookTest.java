package io.chargeline.core.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.chargeline.core.MutableClock;
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
        AlarmEvents failing = new AlarmEvents() {
            @Override
            public void raised(Alarm alarm) {
                throw new IllegalStateException("broker down");
            }
        };
        AlarmBook book = new AlarmBook(store, clock, failing, AlarmMetrics.NONE);
        book.attach(new AlarmEvents() {
            @Override
            public void raised(Alarm alarm) {
                heard.add("raised " + alarm.chargerId());
            }

            @Override
            public void cleared(Alarm alarm) {
                heard.add("cleared " + alarm.chargerId());
            }
        });

        Alarm raised = book.raise(Alarm.silent("0000000000000001", "CH-1", T0, T0, T0.minusSeconds(300),
                Duration.ofMinutes(5)), true);
        book.clear("CH-1", AlarmType.SILENT, T0.plusSeconds(1));

        assertThat(heard).containsExactly("raised CH-1", "cleared CH-1");
        assertThat(store.find(raised.id())).get().extracting(Alarm::state).isEqualTo(AlarmState.CLEARED);
    }
}
