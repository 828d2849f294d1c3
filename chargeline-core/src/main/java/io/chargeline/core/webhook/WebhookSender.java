package io.chargeline.core.webhook;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/** Sends one signed delivery; implemented by an HTTP client adapter. */
public interface WebhookSender {
    /**
     * POSTs {@code body} to {@code url} with {@code headers}.
     *
     * @return the HTTP status of the answer
     * @throws IOException when there was no answer (refused, timed out, TLS failure)
     */
    int post(URI url, byte[] body, Map<String, String> headers) throws IOException;
}
