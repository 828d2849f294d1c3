package io.chargeline.core.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Turns a host name into its addresses; a seam so that tests can make a name change its address. */
@FunctionalInterface
public interface HostResolver {
    /** The JVM's resolver (its DNS cache keeps answers for 30 s by default). */
    HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    /**
     * @return at least one address
     * @throws UnknownHostException when the name does not resolve
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;
}
