package io.chargeline.core.telemetry;

import io.chargeline.core.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Aggregates of a numeric {@code data} field in time buckets, for one charger or across many, from the store's
 * rollups where they cover a bucket and from the records for the rest (see {@link AggregatePlan}).
 */
public final class TelemetryAggregates {
    /** Chargers one fleet aggregate may name; {@code all} is not bounded by it. */
    public static final int MAX_CHARGERS = 1_000;

    private final TelemetryStore store;

    public TelemetryAggregates(TelemetryStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** The charger's buckets that hold values (or skipped values), oldest first. */
    public List<AggregateBucket> charger(String chargerId, AggregateQuery q) {
        AggregatePlan plan = AggregatePlan.of(q);
        FieldSummary[] summaries = ChargerAggregation.read(store, chargerId, q, plan);
        List<AggregateBucket> out = new ArrayList<>();
        for (int b = 0; b < summaries.length; b++) {
            FieldSummary s = summaries[b];
            if (s != null && (s.count() > 0 || s.skipped() > 0)) {
                out.add(bucket(plan, q, b, s, s.count() > 0 ? 1 : 0));
            }
        }
        return out;
    }

    /**
     * The buckets across {@code chargerIds} (null: every charger with data): per bucket the values of all of them
     * together, and how many had one.
     */
    public List<AggregateBucket> fleet(List<String> chargerIds, AggregateQuery q) {
        List<String> chargers = chargerIds != null ? chargerIds : List.copyOf(new java.util.TreeSet<>(
                store.lastReceived().keySet()));
        if (chargerIds != null && chargerIds.size() > MAX_CHARGERS) {
            throw new InvalidRequestException("chargerIds names at most " + MAX_CHARGERS + " chargers; use all for "
                    + "every charger");
        }
        AggregatePlan plan = AggregatePlan.of(q);
        FieldSummary[] total = new FieldSummary[plan.buckets()];
        int[] contributing = new int[plan.buckets()];
        for (String id : chargers) {
            FieldSummary[] own = ChargerAggregation.read(store, id, q, plan);
            for (int b = 0; b < own.length; b++) {
                if (own[b] == null) {
                    continue;
                }
                if (total[b] == null) {
                    total[b] = new FieldSummary();
                }
                total[b].merge(own[b]);
                if (own[b].count() > 0) {
                    contributing[b]++;
                }
            }
        }
        List<AggregateBucket> out = new ArrayList<>();
        for (int b = 0; b < total.length; b++) {
            if (total[b] != null && (total[b].count() > 0 || total[b].skipped() > 0)) {
                out.add(bucket(plan, q, b, total[b], contributing[b]));
            }
        }
        return out;
    }

    private static AggregateBucket bucket(AggregatePlan plan, AggregateQuery q, int b, FieldSummary s, int chargers) {
        return new AggregateBucket(plan.bucketStart(b), plan.bucketStart(b).plus(q.interval()), s, chargers);
    }
}
