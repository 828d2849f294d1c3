package io.chargeline.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error pages, as problem+json instead of HTML: what Jetty refuses before Javalin's handlers run (a
 * request line or header over its limit, a URI with {@code %00} or bad UTF-8) and anything that escapes
 * Javalin. Set on the server and on the servlet context, so every error of either port has the same shape.
 */
final class JettyProblemHandler extends ErrorHandler {
    @Override
    public boolean errorPageForMethod(String method) {
        return true; // every method gets a problem body (Jetty's default leaves PUT and DELETE without one)
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) {
        byte[] body = problem(code, message);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** A request too malformed to dispatch at all: Jetty sends these bytes itself. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE);
        return ByteBuffer.wrap(problem(status, reason));
    }

    private static byte[] problem(int code, String message) {
        String title = Problem.title(code);
        return Problem.json(code, title, "http_" + code, detail(code, title, message), null);
    }

    private static String detail(int code, String title, String message) {
        if (code >= 500) {
            return "the server failed; see its log"; // the message of an escaped exception may be internal
        }
        if (message != null && !message.isBlank() && !message.equals(title)) {
            return message; // Jetty's fixed phrases, e.g. "Bad UTF-8 encoding"
        }
        return switch (code) {
            case 400 -> "the request is malformed, e.g. %00 or a bad percent-encoding in its path";
            case 414 -> "the request line (path and query string) is longer than the server accepts";
            case 431 -> "the request headers are larger than the server accepts";
            default -> title;
        };
    }
}
