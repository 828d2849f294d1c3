package io.chargeline.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.chargeline.core.InvalidRequestException;
import io.chargeline.core.Page;
import io.chargeline.core.command.Command;
import io.chargeline.core.command.CommandService;
import io.chargeline.core.command.CommandStatus;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Set;

/** Commands to one charger: issue (optionally waiting for the outcome), list, get, cancel. */
final class CommandRoutes {
    private static final Set<String> FIELDS = Set.of("name", "payload", "ttl");

    private final CommandService commands;

    CommandRoutes(CommandService commands) {
        this.commands = commands;
    }

    /** POST /api/v1/chargers/{chargerId}/commands[?wait=PT10S] {"name","payload","ttl"} */
    void issue(Context ctx) {
        Duration wait = wait(ctx);
        JsonNode body = Json.object(ctx.bodyAsBytes(), FIELDS);
        JsonNode payload = body.get("payload");
        if (payload != null && !payload.isObject() && !payload.isNull()) {
            throw new InvalidRequestException("payload must be a JSON object");
        }
        String ttl = Json.text(body, "ttl");
        Command issued = commands.issue(ctx.pathParam("chargerId"), Json.text(body, "name"),
                payload == null || payload.isNull() ? null : payload.toString(), ttl == null ? null : QueryParams.duration("ttl", ttl, "PT10S"));
        ctx.header("Location", "/api/v1/chargers/" + issued.chargerId() + "/commands/" + issued.id());
        if (wait == null) {
            respond(ctx, issued);
            return;
        }
        ctx.future(() -> commands.awaitFinal(issued.chargerId(), issued.id(), wait).thenAccept(c -> respond(ctx, c)));
    }

    /** GET /api/v1/chargers/{chargerId}/commands?status=&limit=&cursor= */
    void list(Context ctx) {
        Page<Command> page = commands.list(ctx.pathParam("chargerId"),
                QueryParams.enumValue(ctx, "status", CommandStatus.class), QueryParams.cursor(ctx, ListCursor.COMMANDS),
                QueryParams.limit(ctx));
        ctx.contentType("application/json").result(Json.bytes(Json.page(page, CommandRoutes::json,
                ListCursor.COMMANDS)));
    }

    /** GET /api/v1/chargers/{chargerId}/commands/{commandId} */
    void get(Context ctx) {
        Command c = commands.find(ctx.pathParam("chargerId"), ctx.pathParam("commandId"));
        ctx.contentType("application/json").result(Json.bytes(json(c)));
    }

    /** DELETE /api/v1/chargers/{chargerId}/commands/{commandId}: cancels it if it has not reached the charger. */
    void cancel(Context ctx) {
        Command c = commands.cancel(ctx.pathParam("chargerId"), ctx.pathParam("commandId"));
        ctx.contentType("application/json").result(Json.bytes(json(c)));
    }

    /** 200 when the command is final, 202 while it is still on its way. */
    private static void respond(Context ctx, Command c) {
        ctx.status(c.status().isFinal() ? 200 : 202).contentType("application/json").result(Json.bytes(json(c)));
    }

    private static Duration wait(Context ctx) {
        String raw = ctx.queryParam("wait");
        if (raw == null) {
            return null;
        }
        Duration wait = QueryParams.duration("wait", raw, "PT10S");
        if (wait.isNegative() || wait.compareTo(CommandService.MAX_WAIT) > 0) {
            throw new InvalidRequestException("wait must be between PT0S and " + CommandService.MAX_WAIT);
        }
        return wait;
    }

    static ObjectNode json(Command c) {
        ObjectNode out = Json.MAPPER.createObjectNode()
                .put("commandId", c.id())
                .put("chargerId", c.chargerId())
                .put("name", c.name());
        out.putRawValue("payload", new RawValue(c.payloadJson()));
        out.put("status", c.status().name())
                .put("issuedAt", Json.time(c.issuedAt()))
                .put("expiresAt", Json.time(c.expiresAt()))
                .put("updatedAt", Json.time(c.updatedAt()));
        if (c.resultJson() == null) {
            out.putNull("result");
        } else {
            out.putRawValue("result", new RawValue(c.resultJson()));
        }
        ArrayNode transitions = out.putArray("transitions");
        for (Command.Transition t : c.transitions()) {
            transitions.addObject().put("status", t.status().name()).put("at", Json.time(t.at()));
        }
        return out;
    }
}
