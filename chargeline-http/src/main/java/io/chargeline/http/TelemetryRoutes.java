package io.chargeline.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chargeline.core.Page;
import io.chargeline.core.device.ChargerIds;
import io.chargeline.core.telemetry.DataFields;
import io.chargeline.core.telemetry.HistoryQuery;
import io.chargeline.core.telemetry.QueryMetrics;
import io.chargeline.core.telemetry.QueryMetrics.QueryKind;
import io.chargeline.core.telemetry.TelemetryRecord;
import io.chargeline.core.telemetry.TelemetryStore;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Latest record (reference-compatible), paged history of one charger, and the fleet's latest records. */
final class TelemetryRoutes {
    /** The most chargers one fleet-latest request names. */
    static final int MAX_FLEET_CHARGERS = 1000;

    private final TelemetryStore store;
    private final Clock clock;
    private final QueryMetrics metrics;

    TelemetryRoutes(TelemetryStore store, Clock clock, QueryMetrics metrics) {
        this.store = store;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** GET /telemetry/{chargerId}: the reference system's body, including its 404 shape. */
    void latest(Context ctx) {
        String chargerId = ChargerIds.require(ctx.pathParam("chargerId"));
        long start = System.nanoTime();
        Optional<TelemetryRecord> latest = store.latest(chargerId);
        metrics.queryDuration(QueryKind.LATEST, Duration.ofNanos(System.nanoTime() - start));
        if (latest.isEmpty()) {
            ObjectNode body = Json.MAPPER.createObjectNode()
                    .put("status", "not_found")
                    .put("message", "No telemetry found for charger");
            ctx.status(404).contentType("application/json").result(Json.bytes(body));
            return;
        }
        ctx.contentType("application/json").result(Json.bytes(Json.telemetry(latest.get())));
    }

    /** GET /api/v1/chargers/{chargerId}/telemetry/count?from=&to= */
    void count(Context ctx) {
        String chargerId = ChargerIds.require(ctx.pathParam("chargerId"));
        QueryParams.TimeRange range = QueryParams.timeRange(ctx, clock);
        long start = System.nanoTime();
        long count = store.count(chargerId, range.from(), range.to());
        metrics.queryDuration(QueryKind.COUNT, Duration.ofNanos(System.nanoTime() - start));
        ObjectNode body = Json.MAPPER.createObjectNode()
                .put("chargerId", chargerId)
                .put("from", Json.time(range.from()))
                .put("to", Json.time(range.to()))
                .put("count", count);
        ctx.contentType("application/json").result(Json.bytes(body));
    }

    /** GET /api/v1/chargers/{chargerId}/telemetry?from=&to=&limit=&order=&cursor=&fields= */
    void history(Context ctx) {
        String chargerId = ChargerIds.require(ctx.pathParam("chargerId"));
        QueryParams.TimeRange range = QueryParams.timeRange(ctx, clock);
        DataFields fields = DataFields.parse(ctx.queryParam("fields"));
        HistoryQuery query = new HistoryQuery(chargerId, range.from(), range.to(), QueryParams.limit(ctx),
                QueryParams.descending(ctx), ctx.queryParam("cursor"));
        long start = System.nanoTime();
        Page<TelemetryRecord> page = store.history(query);
        metrics.queryDuration(QueryKind.HISTORY, Duration.ofNanos(System.nanoTime() - start));
        ctx.contentType("application/json").result(Json.bytes(Json.list(page.items(),
                r -> Json.telemetry(r, fields), page.nextCursor())));
    }

    /**
     * GET /api/v1/telemetry/latest?chargerIds=a,b,c&fields=: each named charger's newest record, in the order named;
     * {@code missing} lists those without one (never seen, or their data expired).
     */
    void fleetLatest(Context ctx) {
        List<String> chargerIds = QueryParams.chargerIds(ctx, MAX_FLEET_CHARGERS);
        DataFields fields = DataFields.parse(ctx.queryParam("fields"));
        long start = System.nanoTime();
        List<TelemetryRecord> found = store.latest(chargerIds);
        metrics.queryDuration(QueryKind.LATEST, Duration.ofNanos(System.nanoTime() - start));
        Set<String> seen = new HashSet<>();
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode items = body.putArray("items");
        for (TelemetryRecord r : found) {
            items.add(Json.telemetry(r, fields));
            seen.add(r.chargerId());
        }
        ArrayNode missing = body.putArray("missing");
        chargerIds.stream().filter(id -> !seen.contains(id)).forEach(missing::add);
        ctx.contentType("application/json").result(Json.bytes(body));
    }
}
