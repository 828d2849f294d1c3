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
import io.javalin.http.HttpResponseException;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** RFC 9457 problem details, written as application/problem+json. */
final class Problem {
    static final String CONTENT_TYPE = "application/problem+json";
    private static final Logger LOG = LoggerFactory.getLogger(Problem.class);

    private Problem() {}

    static void write(Context ctx, int status, String title, String code, String detail) {
        ctx.status(status).contentType(CONTENT_TYPE).result(json(status, title, code, detail, ctx.path()));
    }

    /** The problem document; {@code instance} may be null when there is no usable request path. */
    static byte[] json(int status, String title, String code, String detail, String instance) {
        ObjectNode body = Json.MAPPER.createObjectNode()
                .put("type", "about:blank")
                .put("title", title)
                .put("status", status)
                .put("detail", detail);
        if (instance != null) {
            body.put("instance", instance);
        }
        return Json.bytes(body.put("code", code));
    }

    /** The reason phrase for a status, in RFC 9110's words. */
    static String title(int status) {
        return switch (status) {
            case 413 -> "Content Too Large";
            case 500 -> "Internal Server Error";
            default -> HttpStatus.getMessage(status);
        };
    }

    /**
     * The error handling both APIs share: domain errors by their type, Javalin's own responses (unknown path 404,
     * 405 with {@code Allow}, 413) and anything Jetty refuses before Javalin sees the request (414, 431, a bad
     * URI) as problems too, and anything unexpected as a logged 500 that tells the caller nothing internal.
     */
    static void handleErrors(JavalinConfig config) {
        config.http.prefer405over404 = true;
        config.routes.exception(ChargelineException.class, Problem::domainError);
        config.routes.exception(HttpResponseException.class, (e, ctx) -> httpError(e, ctx, config.http.maxRequestSize));
        config.routes.exception(Exception.class, (e, ctx) -> internalError(ctx, e, "internal_error"));
        JettyProblemHandler jetty = new JettyProblemHandler();
        config.jetty.modifyServer(server -> server.setErrorHandler(jetty));
        config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(jetty));
    }

    private static void httpError(HttpResponseException e, Context ctx, long maxRequestBytes) {
        int status = e.getStatus();
        String detail = switch (status) {
            case 404 -> "no such endpoint: " + ctx.method() + " " + ctx.path();
            case 405 -> {
                String allowed = e.getDetails().getOrDefault("availableMethods", "");
                ctx.header("Allow", allowed);
                yield ctx.method() + " is not supported on " + ctx.path() + "; allowed: " + allowed;
            }
            case 413 -> "request bodies are limited to " + maxRequestBytes + " bytes";
            default -> e.getMessage();
        };
        write(ctx, status, title(status), status == 404 ? "not_found" : "http_" + status, detail);
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
