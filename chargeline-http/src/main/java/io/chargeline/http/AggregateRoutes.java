package io.chargeline.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chargeline.core.InvalidRequestException;
import io.chargeline.core.device.ChargerIds;
import io.chargeline.core.telemetry.AggregateBucket;
import io.chargeline.core.telemetry.AggregateFunction;
import io.chargeline.core.telemetry.AggregateQuery;
import io.chargeline.core.telemetry.FieldSummary;
import io.chargeline.core.telemetry.QueryMetrics;
import io.chargeline.core.telemetry.QueryMetrics.QueryKind;
import io.chargeline.core.telemetry.TelemetryAggregates;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Aggregates of a numeric data field in time buckets, of one charger or across chargers. */
final class AggregateRoutes {
    private final TelemetryAggregates aggregates;
    private final Clock clock;
    private final QueryMetrics metrics;

    AggregateRoutes(TelemetryAggregates aggregates, Clock clock, QueryMetrics metrics) {
        this.aggregates = aggregates;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** GET /api/v1/chargers/{chargerId}/telemetry/aggregate?field=&interval=&from=&to=&fn= */
    void charger(Context ctx) {
        String chargerId = ChargerIds.require(ctx.pathParam("chargerId"));
        AggregateQuery q = query(ctx);
        Set<AggregateFunction> fns = AggregateFunction.parse(ctx.queryParam("fn"), EnumSet.allOf(AggregateFunction.class));
        long start = System.nanoTime();
        List<AggregateBucket> buckets = aggregates.charger(chargerId, q);
        metrics.queryDuration(QueryKind.AGGREGATE, Duration.ofNanos(System.nanoTime() - start));
        ObjectNode body = Json.MAPPER.createObjectNode().put("chargerId", chargerId);
        ctx.contentType("application/json").result(Json.bytes(render(body, q, fns, buckets, false)));
    }

    /** GET /api/v1/telemetry/aggregate?field=&interval=&from=&to=&chargerIds=a,b|all&fn= */
    void fleet(Context ctx) {
        boolean all = "all".equals(ctx.queryParam("chargerIds"));
        List<String> chargerIds = all ? null : QueryParams.chargerIds(ctx, TelemetryAggregates.MAX_CHARGERS);
        AggregateQuery q = query(ctx);
        Set<AggregateFunction> fns = AggregateFunction.parse(ctx.queryParam("fn"), AggregateFunction.ACROSS_CHARGERS);
        long start = System.nanoTime();
        List<AggregateBucket> buckets = aggregates.fleet(chargerIds, q);
        metrics.queryDuration(QueryKind.FLEET_AGGREGATE, Duration.ofNanos(System.nanoTime() - start));
        ObjectNode body = Json.MAPPER.createObjectNode();
        if (all) {
            body.put("chargerIds", "all");
        } else {
            chargerIds.forEach(body.putArray("chargerIds")::add);
        }
        ctx.contentType("application/json").result(Json.bytes(render(body, q, fns, buckets, true)));
    }

    private AggregateQuery query(Context ctx) {
        QueryParams.TimeRange range = QueryParams.timeRange(ctx, clock);
        return new AggregateQuery(ctx.queryParam("field"), interval(ctx.queryParam("interval")), range.from(), range.to());
    }

    private static Duration interval(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw new InvalidRequestException("interval is required: an ISO-8601 duration from PT1S to P31D, such as PT5M");
        }
        try {
            return Duration.parse(raw);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("interval must be an ISO-8601 duration from PT1S to P31D, such as PT5M "
                    + "or P1D");
        }
    }

    private static ObjectNode render(ObjectNode body, AggregateQuery q, Set<AggregateFunction> fns,
            List<AggregateBucket> buckets, boolean fleet) {
        body.put("field", q.field())
                .put("interval", q.interval().toString())
                .put("from", Json.time(q.from()))
                .put("to", Json.time(q.to()));
        long skipped = 0;
        ArrayNode out = body.putArray("buckets");
        for (AggregateBucket b : buckets) {
            FieldSummary s = b.summary();
            skipped += s.skipped();
            ObjectNode bucket = out.addObject()
                    .put("start", Json.time(b.start()))
                    .put("end", Json.time(b.end()));
            if (fleet) {
                bucket.put("chargers", b.chargers());
            }
            bucket.put("count", s.count()).put("skipped", s.skipped());
            for (AggregateFunction fn : fns) {
                if (fn != AggregateFunction.COUNT) {
                    number(bucket, fn.label(), s.count() == 0 ? Double.NaN : value(fn, s));
                }
            }
        }
        body.put("skipped", skipped);
        return body;
    }

    private static double value(AggregateFunction fn, FieldSummary s) {
        return switch (fn) {
            case AVG -> s.avg();
            case MIN -> s.min();
            case MAX -> s.max();
            case SUM -> s.sum();
            case FIRST -> s.first();
            case LAST -> s.last();
            case COUNT -> s.count();
        };
    }

    /** A bucket with no numbers, or a sum beyond what a double holds, has null. */
    private static void number(ObjectNode bucket, String name, double value) {
        if (Double.isFinite(value)) {
            bucket.put(name, value);
        } else {
            bucket.putNull(name);
        }
    }
}
