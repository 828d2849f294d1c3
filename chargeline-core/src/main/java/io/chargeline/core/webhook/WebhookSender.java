package io.chargeline.core.webhook;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.Map;

/** Sends one signed delivery; implemented by an HTTP client adapter. */
public interface WebhookSender {
    /**
     * POSTs {@code body} to {@code url} with {@code headers}, connecting to {@code address} and nowhere else:
     * the {@link WebhookTargetPolicy} checked that address, so the sender must not resolve the host again.
     * The URL's host still names the receiver (Host header, TLS server name and certificate check). Redirects
     * are not followed: a 3xx is the answer.
     *
     * @return the HTTP status of the answer
     * @throws IOException when there was no answer (refused, timed out, TLS failure)
     */
    int post(URI url, InetAddress address, byte[] body, Map<String, String> headers) throws IOException;
}
