package io.chargeline.core.telemetry;

import java.time.Duration;
import java.time.Instant;

/** The periods rollups summarize, aligned to UTC (the epoch): whole minutes and whole hours. */
public enum RollupPeriod {
    MINUTE(60),
    HOUR(3_600);

    private final long seconds;

    RollupPeriod(long seconds) {
        this.seconds = seconds;
    }

    public long seconds() {
        return seconds;
    }

    public Duration length() {
        return Duration.ofSeconds(seconds);
    }

    /** The start of the period {@code t} falls in. */
    public Instant startOf(Instant t) {
        return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), seconds) * seconds);
    }

    /** {@code t} if it starts a period, else the start of the next one. */
    public Instant ceil(Instant t) {
        Instant start = startOf(t);
        return start.equals(t) ? t : start.plusSeconds(seconds);
    }

    public boolean isStart(Instant t) {
        return t.getNano() == 0 && Math.floorMod(t.getEpochSecond(), seconds) == 0;
    }
}
