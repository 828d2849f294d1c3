package io.chargeline.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chargeline.core.InvalidRequestException;
import io.chargeline.core.device.ChargerIds;
import io.chargeline.core.telemetry.TelemetryCorrections;
import io.chargeline.core.telemetry.TelemetryRecord;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;

/** Corrections and deletion of stored records. */
final class CorrectionRoutes {
    private final TelemetryCorrections corrections;
    private final Clock clock;

    CorrectionRoutes(TelemetryCorrections corrections, Clock clock) {
        this.corrections = corrections;
        this.clock = clock;
    }

    /** PUT /api/v1/chargers/{chargerId}/telemetry/{timestamp}: the body is the record's new data. */
    void replace(Context ctx) {
        TelemetryRecord r = corrections.replace(AuditRoutes.actor(ctx), chargerId(ctx), timestamp(ctx), ctx.bodyAsBytes());
        ctx.contentType("application/json").result(Json.bytes(Json.telemetry(r)));
    }

    /** PATCH /api/v1/chargers/{chargerId}/telemetry/{timestamp}: the body is a JSON merge patch of its data. */
    void patch(Context ctx) {
        TelemetryRecord r = corrections.patch(AuditRoutes.actor(ctx), chargerId(ctx), timestamp(ctx), ctx.bodyAsBytes());
        ctx.contentType("application/json").result(Json.bytes(Json.telemetry(r)));
    }

    /** DELETE /api/v1/chargers/{chargerId}/telemetry/{timestamp}: 204, or 404 when there is no such record. */
    void deleteOne(Context ctx) {
        corrections.delete(AuditRoutes.actor(ctx), chargerId(ctx), timestamp(ctx));
        ctx.status(204);
    }

    /** DELETE /api/v1/chargers/{chargerId}/telemetry?from=&to=: both required, so no default range deletes data. */
    void deleteRange(Context ctx) {
        String chargerId = chargerId(ctx);
        if (ctx.queryParam("from") == null || ctx.queryParam("to") == null) {
            throw new InvalidRequestException("from and to are both required to delete a range of records");
        }
        QueryParams.TimeRange range = QueryParams.timeRange(ctx, clock);
        long deleted = corrections.delete(AuditRoutes.actor(ctx), chargerId, range.from(), range.to());
        ObjectNode body = Json.MAPPER.createObjectNode()
                .put("chargerId", chargerId)
                .put("from", Json.time(range.from()))
                .put("to", Json.time(range.to()))
                .put("deleted", deleted);
        ctx.contentType("application/json").result(Json.bytes(body));
    }

    private static String chargerId(Context ctx) {
        return ChargerIds.require(ctx.pathParam("chargerId"));
    }

    private static Instant timestamp(Context ctx) {
        return TelemetryCorrections.timestamp(ctx.pathParam("timestamp"));
    }
}
