package io.chargeline.http;

import io.chargeline.core.webhook.AddressRange;
import io.chargeline.core.webhook.WebhookTargetPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * The only name resolution the webhook client does: Jetty asks it for the addresses of a host whenever it
 * opens a connection, and connects to what it gets. The host is resolved and every address checked by the
 * {@link WebhookTargetPolicy}, so the connection goes to exactly the addresses that were checked; a refused
 * one fails the connection (and so the request) with the policy's {@code WebhookTargetRefusedException}.
 *
 * <p>Each address handed back carries the URL's host name (as the JDK's own resolver's answers do): Jetty takes
 * the TLS server name (SNI) and the name the certificate must match from it. An IP literal carries none, so a
 * certificate for that IP address is what is checked then.
 *
 * <p>Resolving may wait for DNS, so it runs on the client's executor, not on the thread that asked (which can be
 * one of Jetty's own threads that must not block).
 */
final class CheckedAddressResolver implements SocketAddressResolver {
    private final WebhookTargetPolicy targets;
    private final Executor executor;

    CheckedAddressResolver(WebhookTargetPolicy targets, Executor executor) {
        this.targets = Objects.requireNonNull(targets, "targets");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    @Override
    public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
        try {
            executor.execute(() -> check(host, port, promise));
        } catch (RejectedExecutionException e) {
            promise.failed(e); // the client is stopping
        }
    }

    private void check(String host, int port, Promise<List<InetSocketAddress>> promise) {
        List<InetSocketAddress> addresses;
        try {
            boolean literal = AddressRange.literal(host).isPresent();
            List<InetSocketAddress> checked = new ArrayList<>();
            for (InetAddress a : targets.checkedAddresses(host)) {
                // getByAddress only labels the checked bytes with the name; it never looks anything up
                checked.add(new InetSocketAddress(literal ? a : InetAddress.getByAddress(host, a.getAddress()), port));
            }
            addresses = List.copyOf(checked);
        } catch (UnknownHostException | RuntimeException e) {
            promise.failed(e);
            return;
        }
        promise.succeeded(addresses);
    }
}
