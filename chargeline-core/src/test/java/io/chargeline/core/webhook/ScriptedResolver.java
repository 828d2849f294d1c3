package io.chargeline.core.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A DNS that answers what the test says: names under {@code .invalid} do not resolve, names it was told about
 * resolve to those addresses, any other name to a public documentation address.
 */
final class ScriptedResolver implements HostResolver {
    static final InetAddress PUBLIC = address("203.0.113.10");

    private final Map<String, List<InetAddress>> answers = new ConcurrentHashMap<>();

    /** From now on {@code host} resolves to {@code addresses} (IP literals). */
    void answer(String host, String... addresses) {
        answers.put(host, java.util.Arrays.stream(addresses).map(ScriptedResolver::address).toList());
    }

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        if (host.endsWith(".invalid")) {
            throw new UnknownHostException(host);
        }
        return answers.getOrDefault(host, List.of(PUBLIC));
    }

    static InetAddress address(String literal) {
        return AddressRange.literal(literal).orElseThrow(() -> new IllegalArgumentException(literal));
    }
}
