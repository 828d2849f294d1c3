package io.chargeline.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyStatsTest {

    @Test
    void percentiles_ofAKnownDistribution() {
        LatencyStats stats = new LatencyStats();
        for (int ms = 1; ms <= 1000; ms++) {
            stats.recordNanos(ms * 1_000_000L);
        }

        LatencyStats.Snapshot s = stats.snapshot();

        assertThat(s.count()).isEqualTo(1000);
        assertThat(s.p50()).isCloseTo(500, within(1.0));
        assertThat(s.p99()).isCloseTo(990, within(1.0));
        assertThat(s.p999()).isCloseTo(999, within(1.0));
        assertThat(s.max()).isCloseTo(1000, within(1.0));
        assertThat(s.distribution()).extracting(LatencyStats.Point::percentile).startsWith(1.0, 10.0).contains(99.9);
        assertThat(s.distribution()).filteredOn(p -> p.percentile() == 90.0).singleElement()
                .satisfies(p -> assertThat(p.millis()).isCloseTo(900, within(1.0)));
        assertThat(s.distribution()).extracting(LatencyStats.Point::millis).isSorted();
    }

    @Test
    void snapshots_accumulate_andOutOfRangeValuesAreClamped() {
        LatencyStats stats = new LatencyStats();
        stats.recordNanos(2_000_000);
        assertThat(stats.snapshot().count()).isEqualTo(1);

        stats.recordNanos(-5);
        stats.recordNanos(Long.MAX_VALUE);

        LatencyStats.Snapshot s = stats.snapshot();
        assertThat(s.count()).isEqualTo(3);
        assertThat(s.max()).isCloseTo(60_000, within(60.0));
    }

    @Test
    void empty_isAllZero() {
        assertThat(new LatencyStats().snapshot()).isEqualTo(new LatencyStats.Snapshot(0, 0, 0, 0, 0, java.util.List.of()));
    }
}
