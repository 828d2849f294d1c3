package io.chargeline.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chargeline.core.audit.Actor;
import io.chargeline.core.audit.Audit;
import io.chargeline.core.audit.AuditEntry;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The audit log, newest first, and who a request acts as. */
final class AuditRoutes {
    /** The request attribute {@code authenticate} sets to the API key's name. */
    static final String KEY_NAME = "chargeline.keyName";

    private final Audit audit;

    AuditRoutes(Audit audit) {
        this.audit = audit;
    }

    /** GET /api/v1/audit?limit=&cursor= */
    void list(Context ctx) {
        ctx.contentType("application/json").result(Json.bytes(Json.page(
                audit.list(QueryParams.cursor(ctx, ListCursor.AUDIT), QueryParams.limit(ctx)), AuditRoutes::json,
                ListCursor.AUDIT)));
    }

    /** The key the request came with, and the client's address. */
    static Actor actor(Context ctx) {
        String name = ctx.attribute(KEY_NAME);
        return new Actor(name == null ? "unknown" : name, ctx.ip());
    }

    private static ObjectNode json(AuditEntry e) {
        JsonNode detail;
        try {
            detail = Json.MAPPER.readTree(e.detailJson());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        ObjectNode node = Json.MAPPER.createObjectNode()
                .put("id", e.id())
                .put("at", Json.time(e.at()))
                .put("actor", e.actor())
                .put("address", e.address())
                .put("action", e.action())
                .put("chargerId", e.chargerId());
        node.set("detail", detail);
        return node;
    }
}
