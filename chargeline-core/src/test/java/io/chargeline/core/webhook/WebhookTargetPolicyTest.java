package io.chargeline.core.webhook;

import static io.chargeline.core.webhook.ScriptedResolver.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookTargetPolicyTest {
    private static final InetAddress OWN = address("198.51.100.7");

    private final ScriptedResolver resolver = new ScriptedResolver();

    @ParameterizedTest(name = "{0} is refused as {1}")
    @CsvSource({
        "0.0.0.0, 0.0.0.0/8", "0.255.255.255, 0.0.0.0/8",
        "10.0.0.1, 10.0.0.0/8", "10.255.255.255, 10.0.0.0/8",
        "100.64.0.1, 100.64.0.0/10", "100.127.255.254, 100.64.0.0/10",
        "127.0.0.1, 127.0.0.0/8", "127.255.255.254, 127.0.0.0/8",
        "169.254.169.254, 169.254.0.0/16", "169.254.0.1, 169.254.0.0/16",
        "172.16.0.1, 172.16.0.0/12", "172.31.255.255, 172.16.0.0/12",
        "192.168.0.1, 192.168.0.0/16", "192.168.255.255, 192.168.0.0/16",
        "224.0.0.1, 224.0.0.0/4", "239.255.255.250, 224.0.0.0/4",
        "240.0.0.1, 240.0.0.0/4", "255.255.255.255, 240.0.0.0/4",
        "::, ::/128",
        "::1, ::1/128",
        "fc00::1, fc00::/7", "fd00:ec2::254, fc00::/7", "fdff:ffff::1, fc00::/7",
        "fe80::1, fe80::/10", "febf:ffff::1, fe80::/10",
        "fec0::1, fec0::/10",
        "ff02::1, ff00::/8", "ff0e::101, ff00::/8",
        // IPv6 forms that carry an IPv4 address
        "::ffff:127.0.0.1, 127.0.0.0/8", "::ffff:169.254.169.254, 169.254.0.0/16", "::ffff:10.0.0.1, 10.0.0.0/8",
        "::ffff:0.0.0.0, 0.0.0.0/8", "::ffff:100.64.0.1, 100.64.0.0/10", "::ffff:224.0.0.1, 224.0.0.0/4",
        "::127.0.0.1, 127.0.0.0/8", "::192.168.1.1, 192.168.0.0/16",
        "64:ff9b::a9fe:a9fe, 169.254.0.0/16", "64:ff9b::7f00:1, 127.0.0.0/8",
        "2002:7f00:1::, 127.0.0.0/8", "2002:c0a8:101::1, 192.168.0.0/16",
    })
    void theDefaultRanges_areRefused(String literal, String range) {
        for (InetAddress form : List.of(address(literal), asIpv6(literal))) {
            assertThat(policy().refusal(form)).as(form.toString()).get().asString().contains("(" + range + ")");
        }
    }

    @ParameterizedTest(name = "{0} is allowed")
    @ValueSource(strings = {
        "8.8.8.8", "1.1.1.1", "203.0.113.10", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0",
        "126.255.255.255", "128.0.0.0", "169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.0",
        "192.167.255.255", "192.169.0.0", "223.255.255.255",
        "2001:4860:4860::8888", "2606:4700:4700::1111", "fbff:ffff::1", "fe00::1",
        "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"})
    void publicAddresses_areAllowed(String literal) {
        assertThat(policy().refusal(address(literal))).isEmpty();
        assertThat(policy().refusal(asIpv6(literal))).isEmpty();
    }

    @Test
    void theServersOwnAddresses_areRefused_inEveryForm() {
        assertThat(policy().refusal(OWN)).get().asString().contains("198.51.100.7 is an address of this server");
        assertThat(policy().refusal(asIpv6("198.51.100.7"))).get().asString().contains("address of this server");
        assertThat(policy().refusal(address("198.51.100.8"))).isEmpty();
    }

    @Test
    void anAllowedRange_overridesTheDefault_forItsAddressesOnly_inEveryForm() {
        WebhookTargetPolicy policy = policy("127.0.0.0/8");

        assertThat(policy.refusal(address("127.0.0.1"))).isEmpty();
        assertThat(policy.refusal(address("127.1.2.3"))).isEmpty();
        assertThat(policy.refusal(asIpv6("127.0.0.1"))).as("::ffff:127.0.0.1").isEmpty();
        assertThat(policy.refusal(address("::1"))).as("IPv6 loopback is another range").isPresent();
        assertThat(policy.refusal(address("10.0.0.1"))).isPresent();
        assertThat(policy.refusal(address("169.254.169.254"))).isPresent();
    }

    @Test
    void allowedRanges_canBeNarrow_andIpv6() {
        WebhookTargetPolicy policy = policy("10.20.0.0/16", "fd00:1234::/32", "::1/128", "198.51.100.7/32");

        assertThat(policy.refusal(address("10.20.1.2"))).isEmpty();
        assertThat(policy.refusal(address("10.21.0.1"))).get().asString().contains("10.0.0.0/8");
        assertThat(policy.refusal(address("fd00:1234::5"))).isEmpty();
        assertThat(policy.refusal(address("fd00:1235::5"))).get().asString().contains("fc00::/7");
        assertThat(policy.refusal(address("::1"))).isEmpty();
        assertThat(policy.refusal(OWN)).as("the operator named the server's own address").isEmpty();
    }

    @Test
    void checkedAddresses_ofALiteral_isThatAddress_inBracketsOrNot_andARefusedLiteralSaysWhy() throws Exception {
        assertThat(policy().checkedAddresses("203.0.113.99")).containsExactly(address("203.0.113.99"));
        assertThat(policy().checkedAddresses("[2001:db8::1]")).containsExactly(address("2001:db8::1"));
        assertThat(policy().checkedAddresses("2001:db8::1")).containsExactly(address("2001:db8::1"));
        assertThatThrownBy(() -> policy().checkedAddresses("127.0.0.1"))
                .isInstanceOf(WebhookTargetRefusedException.class)
                .hasMessageStartingWith("127.0.0.1 is a loopback address (127.0.0.0/8)")
                .hasMessageContaining("--webhook-allow");
        assertThatThrownBy(() -> policy().checkedAddresses("[::ffff:169.254.169.254]"))
                .hasMessageContaining("169.254.0.0/16");
        assertThatThrownBy(() -> policy().checkedAddresses("fe80::1"))
                .hasMessageContaining("fe80::/10");
    }

    @Test
    void checkedAddresses_ofAName_areAllItsAddresses_andEveryOneMustBeAllowed() throws Exception {
        resolver.answer("two.example", "203.0.113.20", "203.0.113.21");
        resolver.answer("mixed.example", "203.0.113.20", "10.0.0.5");
        resolver.answer("metadata.example", "169.254.169.254");

        assertThat(policy().checkedAddresses("two.example"))
                .containsExactly(address("203.0.113.20"), address("203.0.113.21"));
        assertThatThrownBy(() -> policy().checkedAddresses("mixed.example"))
                .isInstanceOf(WebhookTargetRefusedException.class)
                .hasMessageStartingWith("mixed.example resolves to 10.0.0.5, a private address (10.0.0.0/8)");
        assertThatThrownBy(() -> policy().checkedAddresses("metadata.example"))
                .hasMessageContaining("link-local");
        assertThatThrownBy(() -> policy().checkedAddresses("nowhere.invalid"))
                .isInstanceOf(UnknownHostException.class);
        assertThatThrownBy(() -> policy().checkedAddresses(null)).isInstanceOf(UnknownHostException.class);
    }

    private WebhookTargetPolicy policy(String... allowed) {
        return new WebhookTargetPolicy(Arrays.stream(allowed).map(AddressRange::parse).toList(), () -> Set.of(OWN),
                resolver);
    }

    /** The address as an Inet6Address: IPv4 ones as ::ffff:a.b.c.d, which InetAddress itself never hands out. */
    private static InetAddress asIpv6(String literal) {
        InetAddress a = address(literal);
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            b = new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, b[0], b[1], b[2], b[3]};
        }
        try {
            return Inet6Address.getByAddress(null, b, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
