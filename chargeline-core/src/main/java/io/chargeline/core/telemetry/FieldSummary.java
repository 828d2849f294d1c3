package io.chargeline.core.telemetry;

import java.time.Instant;

/**
 * What a period's values of one {@code data} field add up to: how many numbers and their sum, minimum, maximum,
 * first and last (by record timestamp), and how many values were there but not numbers. Aggregates of any
 * interval are merged from these. Mutable and not thread-safe: the owner copies before sharing.
 */
public final class FieldSummary {
    private long count;
    private long skipped;
    private double sum;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private Instant firstAt;
    private double first;
    private Instant lastAt;
    private double last;

    public FieldSummary() {}

    /** A summary as stored; {@code firstAt} and {@code lastAt} are null when {@code count} is 0. */
    public static FieldSummary of(long count, long skipped, double sum, double min, double max, Instant firstAt,
            double first, Instant lastAt, double last) {
        FieldSummary s = new FieldSummary();
        s.count = count;
        s.skipped = skipped;
        s.sum = sum;
        s.min = min;
        s.max = max;
        s.firstAt = firstAt;
        s.first = first;
        s.lastAt = lastAt;
        s.last = last;
        return s;
    }

    public void add(Instant at, double value) {
        count++;
        sum += value;
        min = Math.min(min, value);
        max = Math.max(max, value);
        if (firstAt == null || at.isBefore(firstAt)) {
            firstAt = at;
            first = value;
        }
        if (lastAt == null || at.isAfter(lastAt)) {
            lastAt = at;
            last = value;
        }
    }

    /** A value that is there but is no number (text, true/false, null, an array). */
    public void skip() {
        skipped++;
    }

    public void merge(FieldSummary o) {
        if (o.count > 0) {
            count += o.count;
            sum += o.sum;
            min = Math.min(min, o.min);
            max = Math.max(max, o.max);
            if (firstAt == null || o.firstAt.isBefore(firstAt)) {
                firstAt = o.firstAt;
                first = o.first;
            }
            if (lastAt == null || o.lastAt.isAfter(lastAt)) {
                lastAt = o.lastAt;
                last = o.last;
            }
        }
        skipped += o.skipped;
    }

    public FieldSummary copy() {
        return of(count, skipped, sum, min, max, firstAt, first, lastAt, last);
    }

    public long count() {
        return count;
    }

    public long skipped() {
        return skipped;
    }

    public double sum() {
        return sum;
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    public double avg() {
        return sum / count;
    }

    public Instant firstAt() {
        return firstAt;
    }

    public double first() {
        return first;
    }

    public Instant lastAt() {
        return lastAt;
    }

    public double last() {
        return last;
    }

    @Override
    public String toString() {
        return "FieldSummary[count=" + count + ", skipped=" + skipped + ", sum=" + sum + ", min=" + min + ", max=" + max
                + ", first=" + first + "@" + firstAt + ", last=" + last + "@" + lastAt + "]";
    }
}
