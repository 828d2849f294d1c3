package io.chargeline.core.webhook;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Which addresses webhook deliveries may connect to. Without it anyone holding an API key could make the
 * server POST to itself, to the cloud metadata service or to anything else on its private network, and
 * keep doing so for a day of retries.
 *
 * <p>Refused unless the operator allows the range: the {@link #REFUSED} ranges (loopback, link-local,
 * private, shared, unique-local, multicast, reserved) and this server's own interface addresses. An IPv6
 * address that carries an IPv4 one (mapped {@code ::ffff:a.b.c.d}, compatible {@code ::a.b.c.d}, NAT64
 * {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}) is judged by both. A name is allowed only when every address
 * it resolves to is.
 */
public final class WebhookTargetPolicy {
    /** A range refused by default, with what it is for the reason given. */
    public record RefusedRange(AddressRange range, String what) {}

    public static final List<RefusedRange> REFUSED = List.of(
            refused("0.0.0.0/8", "\"this network\""),
            refused("10.0.0.0/8", "private"),
            refused("100.64.0.0/10", "shared (carrier-grade NAT)"),
            refused("127.0.0.0/8", "loopback"),
            refused("169.254.0.0/16", "link-local (cloud metadata)"),
            refused("172.16.0.0/12", "private"),
            refused("192.168.0.0/16", "private"),
            refused("224.0.0.0/4", "multicast"),
            refused("240.0.0.0/4", "reserved (and broadcast)"),
            refused("::/128", "unspecified"),
            refused("::1/128", "loopback"),
            refused("fc00::/7", "unique-local"),
            refused("fe80::/10", "link-local"),
            refused("fec0::/10", "site-local"),
            refused("ff00::/8", "multicast"));

    private static final byte[] NAT64_PREFIX = {0x00, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};

    private final List<AddressRange> allowed;
    private final Supplier<? extends Collection<InetAddress>> ownAddresses;
    private final HostResolver resolver;

    /**
     * @param allowed ranges the operator allows although they would be refused (on-premise receivers)
     * @param ownAddresses this server's addresses, asked on every check (they can change)
     */
    public WebhookTargetPolicy(List<AddressRange> allowed, Supplier<? extends Collection<InetAddress>> ownAddresses,
            HostResolver resolver) {
        this.allowed = List.copyOf(allowed);
        this.ownAddresses = Objects.requireNonNull(ownAddresses, "ownAddresses");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    public List<AddressRange> allowed() {
        return allowed;
    }

    /** Why a delivery may not connect to {@code address}, or empty when it may. */
    public Optional<String> refusal(InetAddress address) {
        return judge(address).map(r -> r.address() + " is " + r.what());
    }

    private Optional<Refusal> judge(InetAddress address) {
        List<InetAddress> forms = forms(address);
        if (forms.stream().anyMatch(f -> allowed.stream().anyMatch(r -> r.contains(f)))) {
            return Optional.empty();
        }
        for (InetAddress form : forms) {
            for (RefusedRange r : REFUSED) {
                if (r.range().contains(form)) {
                    return Optional.of(new Refusal(describe(address, form), "a " + r.what() + " address (" + r.range() + ")"));
                }
            }
        }
        Collection<InetAddress> own = ownAddresses.get();
        for (InetAddress form : forms) {
            if (own.stream().anyMatch(o -> Arrays.equals(o.getAddress(), form.getAddress()))) {
                return Optional.of(new Refusal(describe(address, form), "an address of this server"));
            }
        }
        return Optional.empty();
    }

    /**
     * Resolves {@code host} (an IP literal, in brackets or not, is taken as it is) and returns every address it
     * resolves to, once each one has been checked: connecting to any of them is allowed.
     *
     * @throws WebhookTargetRefusedException when the host is, or resolves to, a refused address
     * @throws UnknownHostException when the name does not resolve
     */
    public List<InetAddress> checkedAddresses(String host) throws UnknownHostException {
        if (host == null || host.isEmpty()) {
            throw new UnknownHostException("the URL has no host");
        }
        Optional<InetAddress> literal = AddressRange.literal(host);
        List<InetAddress> addresses = literal.isPresent() ? List.of(literal.get()) : resolver.resolve(host);
        if (addresses.isEmpty()) {
            throw new UnknownHostException(host);
        }
        for (InetAddress a : addresses) {
            Optional<Refusal> refusal = judge(a);
            if (refusal.isPresent()) {
                Refusal r = refusal.get();
                throw new WebhookTargetRefusedException(literal.isPresent() ? r.address() + " is " + r.what()
                        : host + " resolves to " + r.address() + ", " + r.what());
            }
        }
        return List.copyOf(addresses);
    }

    @Override
    public String toString() {
        return "refused by default: " + REFUSED.stream().map(r -> r.range().toString()).collect(Collectors.joining(","))
                + " and this server's addresses; allowed: " + (allowed.isEmpty() ? "(none)" : allowed);
    }

    /** The address itself, and the IPv4 address an IPv6 one carries, if it carries one. */
    private static List<InetAddress> forms(InetAddress address) {
        List<InetAddress> forms = new ArrayList<>(2);
        forms.add(address);
        if (address instanceof Inet6Address) {
            byte[] b = address.getAddress();
            byte[] v4 = null;
            if (startsWith(b, new byte[10]) && ((b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0))) {
                v4 = Arrays.copyOfRange(b, 12, 16); // mapped ::ffff:a.b.c.d or compatible ::a.b.c.d
            } else if (startsWith(b, NAT64_PREFIX)) {
                v4 = Arrays.copyOfRange(b, 12, 16);
            } else if (b[0] == 0x20 && b[1] == 0x02) {
                v4 = Arrays.copyOfRange(b, 2, 6); // 6to4
            }
            if (v4 != null) {
                try {
                    forms.add(InetAddress.getByAddress(v4));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException("4 bytes are always an IPv4 address", e);
                }
            }
        }
        return forms;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static String describe(InetAddress address, InetAddress form) {
        String shown = AddressRange.format(address);
        return form == address ? shown : shown + " (carrying " + form.getHostAddress() + ")";
    }

    private record Refusal(String address, String what) {}

    private static RefusedRange refused(String cidr, String what) {
        return new RefusedRange(AddressRange.parse(cidr), what);
    }
}
