package io.chargeline.http;

import io.chargeline.core.webhook.WebhookSender;
import io.chargeline.core.webhook.WebhookTargetPolicy;
import io.chargeline.core.webhook.WebhookTargetRefusedException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Webhook POSTs with Jetty's HTTP client (HTTP/1.1). Its only name resolution is the
 * {@link CheckedAddressResolver}: each new connection goes to addresses the {@link WebhookTargetPolicy} has
 * just checked, and Jetty keeps using the URL's host for the Host header, the TLS server name (SNI) and the
 * certificate check (endpoint identification {@code HTTPS}, against the JDK's trusted CAs). An idle
 * connection is kept for reuse for up to 30 s; it goes to an address that was checked when it was opened.
 *
 * <p>No redirect is followed (a 3xx is the answer), no proxy is configured (a proxy would resolve the name
 * itself, after the check). A connection must be made within 10 s and the whole exchange done within 20 s.
 * Start it before the first delivery and {@link #close} it after the dispatcher.
 */
public final class JettyWebhookSender implements WebhookSender, AutoCloseable {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration TOTAL_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** Webhooks come and go; the client forgets a receiver it has not talked to for this long. */
    private static final Duration DESTINATION_IDLE_TIMEOUT = Duration.ofMinutes(10);

    private final HttpClient client;
    private final Duration totalTimeout;

    private JettyWebhookSender(HttpClient client, Duration totalTimeout) {
        this.client = client;
        this.totalTimeout = totalTimeout;
    }

    /** A started sender that trusts the JDK's CAs and connects only where {@code targets} allows. */
    public static JettyWebhookSender start(WebhookTargetPolicy targets) {
        try {
            return start(targets, SSLContext.getDefault(), CONNECT_TIMEOUT, TOTAL_TIMEOUT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
    }

    static JettyWebhookSender start(WebhookTargetPolicy targets, SSLContext tls, Duration connectTimeout,
            Duration totalTimeout) {
        Objects.requireNonNull(targets, "targets");
        SslContextFactory.Client tlsFactory = new SslContextFactory.Client();
        tlsFactory.setSslContext(Objects.requireNonNull(tls, "tls"));
        tlsFactory.setEndpointIdentificationAlgorithm("HTTPS"); // Jetty's default too; the certificate must name the host
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("chargeline-webhook-client");
        threads.setDaemon(true);

        HttpClient client = new HttpClient();
        client.setExecutor(threads);
        client.setSslContextFactory(tlsFactory);
        client.setSocketAddressResolver(new CheckedAddressResolver(targets, threads));
        client.setFollowRedirects(false);
        client.setConnectTimeout(connectTimeout.toMillis());
        client.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        client.setDestinationIdleTimeout(DESTINATION_IDLE_TIMEOUT.toMillis());
        client.setUserAgentField(null); // the dispatcher names itself
        try {
            client.start();
            // after start, which adds the decoders it finds: the answer's body is dropped, so no Accept-Encoding
            client.getContentDecoderFactories().clear();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the webhook HTTP client", e);
        }
        return new JettyWebhookSender(client, totalTimeout);
    }

    @Override
    public int post(URI url, byte[] body, Map<String, String> headers) throws IOException {
        Request request = client.newRequest(url)
                .method(HttpMethod.POST)
                .followRedirects(false)
                .timeout(totalTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .headers(fields -> headers.forEach(fields::put))
                .body(new BytesRequestContent(body));
        CompletableFuture<Integer> status = new CompletableFuture<>();
        // the answer's body is read and dropped: only the status counts
        request.send(result -> {
            if (result.isSucceeded()) {
                status.complete(result.getResponse().getStatus());
            } else {
                status.completeExceptionally(result.getFailure());
            }
        });
        try {
            return status.get(); // the request's own timeout ends every exchange
        } catch (InterruptedException e) {
            request.abort(e);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the webhook receiver");
        } catch (ExecutionException e) {
            throw noAnswer(e.getCause());
        }
    }

    /** Why there was no answer, as the {@link WebhookSender} contract has it. */
    private static IOException noAnswer(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof WebhookTargetRefusedException refused) {
                throw refused; // the resolver refused the address; nothing was sent
            }
        }
        if (failure instanceof IOException io) {
            return io;
        }
        if (failure instanceof TimeoutException) {
            SocketTimeoutException timeout = new SocketTimeoutException(failure.getMessage());
            timeout.initCause(failure);
            return timeout;
        }
        return new IOException(failure.getClass().getSimpleName()
                + (failure.getMessage() == null ? "" : ": " + failure.getMessage()), failure);
    }

    /** Stops the client: connections close and requests still under way fail. */
    @Override
    public void close() throws Exception {
        client.stop();
    }
}
