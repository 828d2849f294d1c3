package io.chargeline.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.InputStream;

/**
 * Route registration for both APIs. Every GET route answers HEAD by running the same handler, so HEAD gets
 * GET's status and headers (Content-Length, ETag, ...) and Jetty drops the body. Without it Javalin answers
 * HEAD on any GET path with an empty 200 and never runs the handler.
 */
final class Routes {
    /** Results larger than this are rare (a page of 1,000 jobs is about 1 MB); beyond it HEAD may lack a length. */
    private static final int MAX_HEAD_BUFFER = 16 * 1024 * 1024;

    private final RoutesConfig routes;

    Routes(RoutesConfig routes) {
        this.routes = routes;
    }

    Routes get(String path, Handler handler) {
        routes.get(path, handler);
        routes.head(path, ctx -> {
            handler.handle(ctx);
            bufferWholeResult(ctx);
        });
        return this;
    }

    /**
     * Jetty counts the Content-Length of a response that fits its buffer; a larger one it starts sending before
     * the end is known, and for HEAD it then says 0. The result is in memory already, so a buffer that holds it
     * costs little and gives HEAD the length GET's content has.
     */
    private static void bufferWholeResult(Context ctx) throws IOException {
        InputStream result = ctx.resultInputStream();
        if (result != null && result.available() >= ctx.res().getBufferSize()) {
            ctx.res().setBufferSize(Math.min(result.available() + 1, MAX_HEAD_BUFFER));
        }
    }

    /** A long-lived GET (Server-Sent Events): no HEAD, which would hold a stream open for nothing. */
    Routes stream(String path, Handler handler) {
        routes.get(path, handler);
        return this;
    }

    Routes post(String path, Handler handler) {
        routes.post(path, handler);
        return this;
    }

    Routes put(String path, Handler handler) {
        routes.put(path, handler);
        return this;
    }

    Routes patch(String path, Handler handler) {
        routes.patch(path, handler);
        return this;
    }

    Routes delete(String path, Handler handler) {
        routes.delete(path, handler);
        return this;
    }
}
