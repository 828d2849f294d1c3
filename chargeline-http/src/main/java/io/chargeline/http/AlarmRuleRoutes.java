package io.chargeline.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chargeline.core.InvalidRequestException;
import io.chargeline.core.NotFoundException;
import io.chargeline.core.Page;
import io.chargeline.core.alarm.AlarmRule;
import io.chargeline.core.alarm.RuleEvaluator;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Set;

/** Value rules: {"field":"temperature","op":">","value":80,"for":"PT1M"}. */
final class AlarmRuleRoutes {
    private static final Set<String> FIELDS = Set.of("field", "op", "value", "for");

    private final RuleEvaluator rules;

    AlarmRuleRoutes(RuleEvaluator rules) {
        this.rules = rules;
    }

    /** POST /api/v1/alarm-rules */
    void create(Context ctx) {
        JsonNode body = Json.object(ctx.bodyAsBytes(), FIELDS);
        JsonNode value = body.get("value");
        if (value == null || !value.isNumber()) {
            throw new InvalidRequestException("value must be a number");
        }
        String op = Json.text(body, "op");
        if (op == null) {
            throw new InvalidRequestException("op is required: one of >, >=, <, <=, ==, !=");
        }
        AlarmRule rule = rules.add(Json.text(body, "field"), op, value.doubleValue(), duration(Json.text(body, "for")));
        ctx.status(201).header("Location", "/api/v1/alarm-rules/" + rule.id())
                .contentType("application/json").result(Json.bytes(rule(rule)));
    }

    /** GET /api/v1/alarm-rules?limit=&cursor=, oldest first */
    void list(Context ctx) {
        Page<AlarmRule> page = rules.rules(QueryParams.cursor(ctx, ListCursor.ALARM_RULES), QueryParams.limit(ctx));
        ctx.contentType("application/json").result(Json.bytes(Json.page(page, AlarmRuleRoutes::rule,
                ListCursor.ALARM_RULES)));
    }

    /** GET /api/v1/alarm-rules/{ruleId} */
    void get(Context ctx) {
        String id = id(ctx);
        AlarmRule rule = rules.find(id).orElseThrow(() -> new NotFoundException("no alarm rule " + id));
        ctx.contentType("application/json").result(Json.bytes(rule(rule)));
    }

    /** DELETE /api/v1/alarm-rules/{ruleId}: its active alarms are cleared. */
    void delete(Context ctx) {
        rules.delete(id(ctx));
        ctx.status(204);
    }

    private static String id(Context ctx) {
        return QueryParams.timeOrderedId(ctx, "ruleId", "alarm rule");
    }

    private static Duration duration(String raw) {
        return raw == null ? Duration.ZERO : QueryParams.duration("for", raw, "PT1M");
    }

    private static ObjectNode rule(AlarmRule r) {
        return Json.MAPPER.createObjectNode()
                .put("id", r.id())
                .put("field", r.field())
                .put("op", r.op().symbol())
                .put("value", r.value())
                .put("for", r.forDuration().toString())
                .put("createdAt", Json.time(r.createdAt()));
    }
}
