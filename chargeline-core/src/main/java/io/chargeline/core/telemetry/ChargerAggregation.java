package io.chargeline.core.telemetry;

import io.chargeline.core.telemetry.AggregatePlan.Segment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads one charger's share of an aggregate by its plan: hour rollups first, minute rollups next, records last.
 * A rollup marked incomplete hands its period down to the next finer source, so the answer is always what the
 * records say.
 */
final class ChargerAggregation {
    /** Rollup segments closer than this many periods are read in one go. */
    private static final int SPAN_GAP_PERIODS = 16;

    private final TelemetryStore store;
    private final String chargerId;
    private final String field;
    private final FieldSummary[] buckets;

    private ChargerAggregation(TelemetryStore store, String chargerId, String field, int buckets) {
        this.store = store;
        this.chargerId = chargerId;
        this.field = field;
        this.buckets = new FieldSummary[buckets];
    }

    /** The charger's summary per bucket of the plan, null where it has no value. */
    static FieldSummary[] read(TelemetryStore store, String chargerId, AggregateQuery q, AggregatePlan plan) {
        ChargerAggregation a = new ChargerAggregation(store, chargerId, q.field(), plan.buckets());
        List<Segment> minutes = new ArrayList<>(plan.minutes());
        List<Segment> records = new ArrayList<>(plan.records());
        a.readRollups(RollupPeriod.HOUR, plan.hours(), minutes);
        minutes.sort(Comparator.comparing(Segment::start));
        a.readRollups(RollupPeriod.MINUTE, minutes, records);
        for (Segment s : records) {
            a.readRecords(s);
        }
        return a.buckets;
    }

    /** Segments in time order; the periods of incomplete rollups are added to {@code finer}. */
    private void readRollups(RollupPeriod period, List<Segment> segments, List<Segment> finer) {
        long maxGapSeconds = SPAN_GAP_PERIODS * period.seconds();
        int i = 0;
        while (i < segments.size()) {
            int j = i;
            while (j + 1 < segments.size()
                    && !segments.get(j + 1).start().isAfter(segments.get(j).end().plusSeconds(maxGapSeconds))) {
                j++;
            }
            int k = i;
            for (FieldRollup row : store.rollups(chargerId, period, segments.get(i).start(), segments.get(j).end(), field)) {
                while (k <= j && !segments.get(k).end().isAfter(row.start())) {
                    k++;
                }
                if (k > j) {
                    break;
                }
                Segment s = segments.get(k);
                if (row.start().isBefore(s.start())) {
                    continue; // between two segments: not asked for
                }
                if (!row.complete()) {
                    finer.add(new Segment(row.start(), row.start().plus(period.length()), s.bucket()));
                } else if (row.summary() != null) {
                    summaryOf(s.bucket()).merge(row.summary());
                }
            }
            i = j + 1;
        }
    }

    private void readRecords(Segment s) {
        FieldSummary into = summaryOf(s.bucket());
        store.scan(chargerId, s.start(), s.end(), r -> {
            NumericFields.find(r.dataJson(), field, new NumericFields.Visitor() {
                @Override
                public void number(String path, double value) {
                    into.add(r.timestamp(), value);
                }

                @Override
                public void other(String path) {
                    into.skip();
                }
            });
            return true;
        });
    }

    private FieldSummary summaryOf(int bucket) {
        FieldSummary s = buckets[bucket];
        if (s == null) {
            s = new FieldSummary();
            buckets[bucket] = s;
        }
        return s;
    }
}
