package io.chargeline.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chargeline.core.ChargelineException;
import io.chargeline.core.ConflictException;
import io.chargeline.core.ContentTooLargeException;
import io.chargeline.core.ForbiddenException;
import io.chargeline.core.NotFoundException;
import io.chargeline.core.OverloadedException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** RFC 9457 problem details, written as application/problem+json. */
final class Problem {
    static final String CONTENT_TYPE = "application/problem+json";
    private static final Logger LOG = LoggerFactory.getLogger(Problem.class);

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

    /**
     * The error handling both APIs share: domain errors by their type, anything unexpected as a logged 500
     * that tells the caller nothing internal, and unknown paths as 404.
     */
    static void handleErrors(JavalinConfig config) {
        config.routes.exception(ChargelineException.class, Problem::domainError);
        config.routes.exception(Exception.class, (e, ctx) -> internalError(ctx, e, "internal_error"));
        config.routes.error(404, "*", ctx -> {
            if (ctx.resultInputStream() == null) {
                write(ctx, 404, "Not Found", "not_found", "no such endpoint: " + ctx.method() + " " + ctx.path());
            }
        });
    }

    private static void domainError(ChargelineException e, Context ctx) {
        if (e instanceof NotFoundException) {
            write(ctx, 404, "Not Found", e.code(), e.getMessage());
        } else if (e instanceof ForbiddenException) {
            write(ctx, 403, "Forbidden", e.code(), e.getMessage());
        } else if (e instanceof ConflictException) {
            write(ctx, 409, "Conflict", e.code(), e.getMessage());
        } else if (e instanceof ContentTooLargeException) {
            write(ctx, 413, "Content Too Large", e.code(), e.getMessage());
        } else if (e instanceof OverloadedException) {
            ctx.header("Retry-After", "1");
            write(ctx, 503, "Service Unavailable", e.code(), e.getMessage());
        } else if (e.isClientError()) {
            write(ctx, 400, "Bad Request", e.code(), e.getMessage());
        } else {
            internalError(ctx, e, e.code());
        }
    }

    private static void internalError(Context ctx, Exception e, String code) {
        LOG.error("http: {} {} failed", ctx.method(), ctx.path(), e);
        write(ctx, 500, "Internal Server Error", code, "the server failed; see its log");
    }
}
