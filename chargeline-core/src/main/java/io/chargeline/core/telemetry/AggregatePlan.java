package io.chargeline.core.telemetry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * How an aggregate's range splits, bucket by bucket, into whole hours (read from hour rollups), whole minutes
 * (minute rollups) and the rest (read from the records): a bucket is at most five such segments, whatever its
 * length, so planning costs nothing however long the range.
 */
final class AggregatePlan {
    /** {@code [start, end)} of the range, counted into bucket number {@code bucket}. */
    record Segment(Instant start, Instant end, int bucket) {}

    private final Instant[] bucketStarts;
    private final List<Segment> hours = new ArrayList<>();
    private final List<Segment> minutes = new ArrayList<>();
    private final List<Segment> records = new ArrayList<>();

    private AggregatePlan(int buckets) {
        this.bucketStarts = new Instant[buckets];
    }

    static AggregatePlan of(AggregateQuery q) {
        AggregatePlan plan = new AggregatePlan(q.buckets());
        Instant start = q.bucketStart(q.from());
        for (int b = 0; b < plan.bucketStarts.length; b++) {
            Instant end = start.plus(q.interval());
            plan.bucketStarts[b] = start;
            plan.split(max(start, q.from()), min(end, q.to()), b);
            start = end;
        }
        return plan;
    }

    private void split(Instant from, Instant to, int bucket) {
        Instant m0 = RollupPeriod.MINUTE.ceil(from);
        Instant m1 = RollupPeriod.MINUTE.startOf(to);
        if (!m0.isBefore(m1)) { // no whole minute inside
            records.add(new Segment(from, to, bucket));
            return;
        }
        add(records, from, m0, bucket);
        Instant h0 = RollupPeriod.HOUR.ceil(m0);
        Instant h1 = RollupPeriod.HOUR.startOf(m1);
        if (h0.isBefore(h1)) {
            add(minutes, m0, h0, bucket);
            add(hours, h0, h1, bucket);
            add(minutes, h1, m1, bucket);
        } else {
            add(minutes, m0, m1, bucket);
        }
        add(records, m1, to, bucket);
    }

    private static void add(List<Segment> to, Instant start, Instant end, int bucket) {
        if (start.isBefore(end)) {
            to.add(new Segment(start, end, bucket));
        }
    }

    int buckets() {
        return bucketStarts.length;
    }

    Instant bucketStart(int bucket) {
        return bucketStarts[bucket];
    }

    /** In time order, as are the others. */
    List<Segment> hours() {
        return hours;
    }

    List<Segment> minutes() {
        return minutes;
    }

    List<Segment> records() {
        return records;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
