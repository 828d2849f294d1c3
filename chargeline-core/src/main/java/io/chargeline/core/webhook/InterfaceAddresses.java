package io.chargeline.core.webhook;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The addresses of this machine's network interfaces, read again at most every 30 seconds: DHCP, VPNs and
 * container networks change them while the server runs, and reading them on every delivery would be wasted.
 */
public final class InterfaceAddresses implements Supplier<Set<InetAddress>> {
    private static final Logger LOG = LoggerFactory.getLogger(InterfaceAddresses.class);
    private static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(30);

    private volatile Snapshot snapshot;

    @Override
    public Set<InetAddress> get() {
        Snapshot current = snapshot;
        long now = System.nanoTime();
        if (current == null || now - current.readAt > REFRESH_NANOS) {
            current = new Snapshot(now, read(current == null ? Set.of() : current.addresses));
            snapshot = current;
        }
        return current.addresses;
    }

    private static Set<InetAddress> read(Set<InetAddress> previous) {
        try {
            Set<InetAddress> out = new HashSet<>();
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                out.addAll(Collections.list(nic.getInetAddresses()));
            }
            return Set.copyOf(out);
        } catch (SocketException e) {
            LOG.warn("webhooks: cannot list this machine's network interfaces; keeping the {} addresses read before",
                    previous.size(), e);
            return previous;
        }
    }

    private record Snapshot(long readAt, Set<InetAddress> addresses) {}
}
