package io.chargeline.core.telemetry;

import io.chargeline.core.InvalidRequestException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Aggregates of one {@code data} field over {@code [from, to)} in buckets of {@code interval}, aligned to the
 * interval since the epoch (UTC): so PT5M buckets start on :00, :05, ... and P1D buckets at midnight UTC.
 */
public record AggregateQuery(String field, Duration interval, Instant from, Instant to) {
    public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    public static final Duration MAX_INTERVAL = Duration.ofDays(31);
    public static final int MAX_BUCKETS = 10_000;

    public AggregateQuery {
        DataFields.requirePath("field", field);
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (interval.getNano() != 0 || interval.compareTo(MIN_INTERVAL) < 0 || interval.compareTo(MAX_INTERVAL) > 0) {
            throw new InvalidRequestException("interval must be whole seconds from PT1S to P31D, such as PT5M or PT1H");
        }
        if (!from.isBefore(to)) {
            throw new InvalidRequestException("from must be before to");
        }
        long buckets = bucketCount(interval, from, to);
        if (buckets > MAX_BUCKETS) {
            throw new InvalidRequestException("the range holds " + buckets + " buckets of " + interval
                    + "; at most " + MAX_BUCKETS + " are allowed: use a larger interval or a shorter range");
        }
    }

    /** The start of the bucket {@code t} falls in. */
    public Instant bucketStart(Instant t) {
        long seconds = interval.getSeconds();
        return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), seconds) * seconds);
    }

    /** How many buckets the range touches. */
    public int buckets() {
        return (int) bucketCount(interval, from, to);
    }

    private static long bucketCount(Duration interval, Instant from, Instant to) {
        long seconds = interval.getSeconds();
        long first = Math.floorDiv(from.getEpochSecond(), seconds);
        long last = Math.floorDiv(to.minusNanos(1).getEpochSecond(), seconds);
        return last - first + 1;
    }
}
