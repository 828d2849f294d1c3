package io.chargeline.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.slf4j.event.EventRecordingLogger;
import org.slf4j.event.Level;
import org.slf4j.event.SubstituteLoggingEvent;
import org.slf4j.helpers.SubstituteLogger;

class RepeatedErrorsTest {
    private final ConcurrentLinkedQueue<SubstituteLoggingEvent> events = new ConcurrentLinkedQueue<>();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final RepeatedErrors errors = new RepeatedErrors(
            new EventRecordingLogger(new SubstituteLogger("test", events, false), events), clock, Duration.ofMinutes(1),
            "ingest commit");

    @Test
    void sameErrorAgainAndAgain_isLoggedOnceWithItsStackTrace_thenCounted() {
        for (int i = 0; i < 500; i++) {
            errors.failed("1 message", new IllegalStateException("Field Year cannot be printed"));
        }

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.ERROR);
            assertThat(e.getThrowable()).hasMessage("Field Year cannot be printed");
        });
    }

    @Test
    void aMinuteLater_theCountIsLogged_withoutAStackTrace() {
        errors.failed("1 message", new IllegalStateException("boom"));
        for (int i = 0; i < 9; i++) {
            errors.failed("1 message", new IllegalStateException("boom"));
        }
        clock.advance(Duration.ofMinutes(1));
        errors.failed("1 message", new IllegalStateException("boom"));

        List<SubstituteLoggingEvent> logged = List.copyOf(events);
        assertThat(logged).hasSize(2);
        assertThat(logged.get(1).getThrowable()).isNull();
        assertThat(logged.get(1).getArgumentArray()).contains(10L);
    }

    @Test
    void recovery_reportsWhatWasNotLoggedYet_andHowManyFailed() {
        errors.failed("1 message", new IllegalStateException("boom"));
        errors.failed("1 message", new IllegalStateException("boom"));
        errors.failed("1 message", new IllegalStateException("boom"));

        errors.succeeded();

        List<SubstituteLoggingEvent> logged = List.copyOf(events);
        assertThat(logged).hasSize(3);
        assertThat(logged.get(1).getArgumentArray()).contains(2L);
        assertThat(logged.get(2).getLevel()).isEqualTo(Level.INFO);
        assertThat(logged.get(2).getArgumentArray()).contains(3L);
    }

    @Test
    void aDifferentError_isLoggedInFull() {
        errors.failed("1 message", new IllegalStateException("boom"));
        errors.failed("1 message", new IllegalStateException("disk full"));

        assertThat(events).hasSize(2).allSatisfy(e -> assertThat(e.getThrowable()).isNotNull());
    }

    @Test
    void successWithoutFailures_logsNothing() {
        errors.succeeded();

        assertThat(events).isEmpty();
    }
}
