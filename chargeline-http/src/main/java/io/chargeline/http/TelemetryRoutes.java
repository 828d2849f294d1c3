package io.chargeline.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chargeline.core.InvalidRequestException;
import io.chargeline.core.Page;
import io.chargeline.core.device.ChargerIds;
import io.chargeline.core.telemetry.HistoryQuery;
import io.chargeline.core.telemetry.QueryMetrics;
import io.chargeline.core.telemetry.QueryMetrics.QueryKind;
import io.chargeline.core.telemetry.TelemetryRecord;
import io.chargeline.core.telemetry.TelemetryStore;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Latest record (reference-compatible) and paged history of one charger. */
final class TelemetryRoutes {
    private static final Duration DEFAULT_WINDOW = Duration.ofHours(24);

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
        Instant to = QueryParams.instant(ctx, "to", clock.instant().plusSeconds(1));
        Instant from = QueryParams.instant(ctx, "from", to.minus(DEFAULT_WINDOW));
        if (!from.isBefore(to)) {
            throw new InvalidRequestException("from must be before to");
        }
        long start = System.nanoTime();
        long count = store.count(chargerId, from, to);
        metrics.queryDuration(QueryKind.COUNT, Duration.ofNanos(System.nanoTime() - start));
        ObjectNode body = Json.MAPPER.createObjectNode()
                .put("chargerId", chargerId)
                .put("from", Json.time(from))
                .put("to", Json.time(to))
                .put("count", count);
        ctx.contentType("application/json").result(Json.bytes(body));
    }

    /** GET /api/v1/chargers/{chargerId}/telemetry?from=&to=&limit=&order=&cursor= */
    void history(Context ctx) {
        String chargerId = ChargerIds.require(ctx.pathParam("chargerId"));
        Instant to = QueryParams.instant(ctx, "to", clock.instant().plusSeconds(1));
        Instant from = QueryParams.instant(ctx, "from", to.minus(DEFAULT_WINDOW));
        HistoryQuery query = new HistoryQuery(chargerId, from, to, QueryParams.limit(ctx),
                QueryParams.descending(ctx), ctx.queryParam("cursor"));
        long start = System.nanoTime();
        Page<TelemetryRecord> page = store.history(query);
        metrics.queryDuration(QueryKind.HISTORY, Duration.ofNanos(System.nanoTime() - start));
        ctx.contentType("application/json").result(Json.bytes(Json.list(page.items(), Json::telemetry,
                page.nextCursor())));
    }
}
