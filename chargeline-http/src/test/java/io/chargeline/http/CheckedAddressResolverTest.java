package io.chargeline.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chargeline.core.webhook.AddressRange;
import io.chargeline.core.webhook.WebhookTargetPolicy;
import io.chargeline.core.webhook.WebhookTargetRefusedException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.util.Promise;
import org.junit.jupiter.api.Test;

class CheckedAddressResolverTest {
    private static final InetAddress PUBLIC_1 = AddressRange.literal("203.0.113.20").orElseThrow();
    private static final InetAddress PUBLIC_2 = AddressRange.literal("2001:db8::20").orElseThrow();
    private static final InetAddress PRIVATE = AddressRange.literal("10.0.0.5").orElseThrow();

    private final Map<String, List<InetAddress>> dns = Map.of("hooks.example", List.of(PUBLIC_1, PUBLIC_2),
            "mixed.example", List.of(PUBLIC_1, PRIVATE));
    private final List<String> dnsAsked = new CopyOnWriteArrayList<>();
    private final WebhookTargetPolicy policy = new WebhookTargetPolicy(List.of(), Set::of, host -> {
        dnsAsked.add(host);
        List<InetAddress> addresses = dns.get(host);
        if (addresses == null) {
            throw new UnknownHostException(host);
        }
        return addresses;
    });
    private final CheckedAddressResolver resolver = new CheckedAddressResolver(policy, Runnable::run);

    @Test
    void aName_resolvesToEveryCheckedAddress_atThePortAsked() throws Exception {
        assertThat(resolve("hooks.example", 8443)).containsExactly(new InetSocketAddress(PUBLIC_1, 8443),
                new InetSocketAddress(PUBLIC_2, 8443));
    }

    @Test
    void theAddresses_carryTheHostsName_whichJettyUsesForTls_butALiteralCarriesNone() throws Exception {
        assertThat(resolve("hooks.example", 443)).extracting(InetSocketAddress::getHostString)
                .containsExactly("hooks.example", "hooks.example");
        assertThat(resolve("203.0.113.9", 443)).extracting(InetSocketAddress::getHostString)
                .containsExactly("203.0.113.9");
        assertThat(resolve("[2001:db8::9]", 443)).singleElement()
                .satisfies(a -> assertThat(a.getAddress()).isEqualTo(AddressRange.literal("2001:db8::9").orElseThrow()));
        assertThat(dnsAsked).containsExactly("hooks.example");
    }

    @Test
    void aNameWithOneRefusedAddress_failsWithTheRefusal() {
        assertThatThrownBy(() -> resolve("mixed.example", 443)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(WebhookTargetRefusedException.class)
                .hasMessageStartingWith("mixed.example resolves to 10.0.0.5, a private address (10.0.0.0/8)");
    }

    @Test
    void aNameThatDoesNotResolve_failsWithUnknownHost() {
        assertThatThrownBy(() -> resolve("nowhere.example", 443)).cause().isInstanceOf(UnknownHostException.class);
    }

    @Test
    void aStoppedExecutor_failsThePromise_ratherThanLeavingItOpen() {
        CheckedAddressResolver stopped = new CheckedAddressResolver(policy, task -> {
            throw new java.util.concurrent.RejectedExecutionException("stopped");
        });
        CompletableFuture<List<InetSocketAddress>> result = new CompletableFuture<>();

        stopped.resolve("hooks.example", 443, Map.of(), Promise.from(result));

        assertThat(result).isCompletedExceptionally();
    }

    private List<InetSocketAddress> resolve(String host, int port) throws Exception {
        CompletableFuture<List<InetSocketAddress>> result = new CompletableFuture<>();
        resolver.resolve(host, port, Map.of(), Promise.from(result));
        return result.get();
    }
}
