package io.chargeline.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * Logs a recurring failure once with its stack trace, then only counts it: a failure that repeats with every
 * message must not write a stack trace per message. While the same error (type and message) goes on, a line
 * with the count is written at most once per {@code summaryEvery}; a different error is logged in full; the
 * first success after failures says how many there were. For one thread at a time.
 */
public final class RepeatedErrors {
    private final Logger log;
    private final Clock clock;
    private final Duration summaryEvery;
    private final String what;
    private String signature;
    private long unreported;
    private long streak;
    private Instant lastLogged;

    /** @param what names the failing operation in each line, e.g. "ingest commit" */
    public RepeatedErrors(Logger log, Clock clock, Duration summaryEvery, String what) {
        this.log = Objects.requireNonNull(log, "log");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.summaryEvery = Objects.requireNonNull(summaryEvery, "summaryEvery");
        this.what = Objects.requireNonNull(what, "what");
    }

    /** @param context what was lost to this failure, in words (e.g. "47 messages; none acknowledged") */
    public void failed(String context, Throwable error) {
        Instant now = clock.instant();
        String sig = error.getClass().getName() + ": " + error.getMessage();
        streak++;
        if (sig.equals(signature)) {
            unreported++;
            if (!now.isBefore(lastLogged.plus(summaryEvery))) {
                log.error("{} failed {} more times since {} with the same error: {}", what, unreported, lastLogged, sig);
                unreported = 0;
                lastLogged = now;
            }
            return;
        }
        reportUnreported();
        signature = sig;
        lastLogged = now;
        log.error("{} failed ({}); repeats of this error are counted, not logged each time", what, context, error);
    }

    public void succeeded() {
        if (signature == null) {
            return;
        }
        reportUnreported();
        log.info("{} succeeds again after {} failed attempts", what, streak);
        signature = null;
        streak = 0;
    }

    private void reportUnreported() {
        if (unreported > 0) {
            log.error("{} failed {} more times since {} with the same error: {}", what, unreported, lastLogged, signature);
            unreported = 0;
        }
    }
}
