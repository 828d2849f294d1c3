package io.chargeline.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

/** RFC 9457 problem details, written as application/problem+json. */
final class Problem {
    static final String CONTENT_TYPE = "application/problem+json";

    private Problem() {}

    static void write(Context ctx, int status, String title, String code, String detail) {
        ObjectNode body = Json.MAPPER.createObjectNode()
                .put("type", "about:blank")
                .put("title", title)
                .put("status", status)
                .put("detail", detail)
                .put("instance", ctx.path())
                .put("code", code);
        ctx.status(status).contentType(CONTENT_TYPE).result(Json.bytes(body));
    }
}
