package io.chargeline.core.timing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void continueAfter_anIdFromAnEarlierProcess_keepsNewIdsAfterIt_evenWithTheClockBehind() {
        TimeOrderedIds earlier = new TimeOrderedIds();
        earlier.next(T0);
        String last = earlier.next(T0);

        TimeOrderedIds restarted = new TimeOrderedIds();
        restarted.continueAfter(last);

        assertThat(restarted.next(T0.minusSeconds(60))).isGreaterThan(last);
        assertThat(restarted.next(T0.plusSeconds(1))).startsWith(TimeOrderedIds.firstAt(T0.plusSeconds(1)).substring(0, 12));
    }

    @Test
    void continueAfter_anOlderId_changesNothing() {
        TimeOrderedIds ids = new TimeOrderedIds();
        String newest = ids.next(T0);
        ids.continueAfter(TimeOrderedIds.firstAt(T0.minusSeconds(1)));

        assertThat(ids.next(T0)).isGreaterThan(newest);
    }

    @Test
    void firstAt_sortsAfterEveryEarlierId_andAtOrBeforeEveryLaterOne() {
        TimeOrderedIds ids = new TimeOrderedIds();
        String before = ids.next(T0.minusMillis(1));
        String at = ids.next(T0);

        assertThat(TimeOrderedIds.firstAt(T0)).isGreaterThan(before).isLessThanOrEqualTo(at);
        assertThat(TimeOrderedIds.isWellFormed(TimeOrderedIds.firstAt(T0))).isTrue();
    }
}
