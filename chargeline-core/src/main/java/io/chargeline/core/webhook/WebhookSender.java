package io.chargeline.core.webhook;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * Sends one signed delivery; implemented by an HTTP client adapter.
 *
 * <p>The delivery-time check of the {@link WebhookTargetPolicy} is the sender's: whenever it opens a
 * connection it resolves the URL's host with {@link WebhookTargetPolicy#checkedAddresses} and connects only to
 * the addresses that call returned, never resolving the name again on its own (a name can change its address
 * in between: DNS rebinding). A connection it keeps open for reuse goes to an address checked when it was
 * opened. The URL's host still names the receiver (Host header, TLS server name and certificate check).
 */
public interface WebhookSender {
    /**
     * POSTs {@code body} to {@code url} with {@code headers}. Redirects are not followed: a 3xx is the answer.
     *
     * @return the HTTP status of the answer
     * @throws WebhookTargetRefusedException when the host is, or now resolves to, an address deliveries may not
     *     reach; nothing was sent
     * @throws IOException when there was no answer (the name does not resolve, the connection was refused or
     *     timed out, TLS failed)
     */
    int post(URI url, byte[] body, Map<String, String> headers) throws IOException;
}
