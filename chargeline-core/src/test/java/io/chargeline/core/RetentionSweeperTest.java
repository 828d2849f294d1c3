package io.chargeline.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RetentionSweeperTest {
    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    @Test
    void everySweepRunsAtStart_withTheClocksTime_evenWhenAnEarlierOneFails() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        AtomicReference<Instant> seen = new AtomicReference<>();
        List<RetentionSweeper.Sweep> sweeps = List.of(
                new RetentionSweeper.Sweep("broken things", now -> {
                    throw new StorageException("disk gone", null);
                }),
                new RetentionSweeper.Sweep("finished commands", now -> {
                    seen.set(now);
                    ran.countDown();
                    return 3;
                }));

        try (RetentionSweeper sweeper = new RetentionSweeper(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(1),
                sweeps)) {
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(seen.get()).isEqualTo(NOW);
    }
}
