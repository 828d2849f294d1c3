package io.chargeline.core.webhook;

import static io.chargeline.core.webhook.ScriptedResolver.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressRangeTest {

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
        "10.0.0.0/8, 10.255.255.255, true", "10.0.0.0/8, 11.0.0.0, false",
        "172.16.0.0/12, 172.31.0.1, true", "172.16.0.0/12, 172.32.0.1, false",
        "100.64.0.0/10, 100.127.0.1, true", "100.64.0.0/10, 100.128.0.1, false",
        "10.0.5.17, 10.0.5.17, true", "10.0.5.17, 10.0.5.18, false",
        "0.0.0.0/0, 8.8.8.8, true", "0.0.0.0/0, ::1, false",
        "fd00::/8, fd12:3456::1, true", "fd00::/8, fc00::1, false",
        "fe80::/10, febf::1, true", "fe80::/10, fec0::1, false",
        "2001:db8::/32, 2001:db8:ffff::1, true", "2001:db8::/32, 2001:db9::1, false",
        "::1, ::1, true", "127.0.0.0/8, ::1, false",
    })
    void contains(String range, String address, boolean expected) {
        assertThat(AddressRange.parse(range).contains(address(address))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "''{0}'' is refused: {1}")
    @CsvSource(delimiter = '|', value = {
        "10.1.2.3/8 | the range is 10.0.0.0/8",
        "10.0.0.0/33 | prefix length of 0 to 32",
        "fd00::/129 | prefix length of 0 to 128",
        "10.0.0.0/-1 | prefix length",
        "10.0.0.0/ | prefix length",
        "example.com | not an IPv4 or IPv6 range",
        "localhost/8 | not an IPv4 or IPv6 range",
        "10.1 | not an IPv4 or IPv6 range",
        "010.0.0.0/8 | not an IPv4 or IPv6 range",
        "256.0.0.0/8 | not an IPv4 or IPv6 range",
        "fe80::1%eth0/64 | not an IPv4 or IPv6 range",
        "abc:def | not an IPv4 or IPv6 range",
        "'' | not an IPv4 or IPv6 range",
    })
    void malformedRanges_areRefused_sayingWhy(String text, String message) {
        assertThatThrownBy(() -> AddressRange.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void aBareAddress_isOneHost_andTheTextIsKept() {
        assertThat(AddressRange.parse("10.0.5.17")).hasToString("10.0.5.17/32").isEqualTo(AddressRange.parse("10.0.5.17/32"));
        assertThat(AddressRange.parse(" FD00::/8 ")).hasToString("fd00::/8");
    }

    @ParameterizedTest(name = "{0} is written {1}")
    @CsvSource({
        "127.0.0.1, 127.0.0.1", "0:0:0:0:0:0:0:1, ::1", "::, ::", "fd00:ec2:0:0:0:0:0:254, fd00:ec2::254",
        "2001:db8:0:1:0:0:0:1, 2001:db8:0:1::1", "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "fe80:0:0:0:0:0:0:0, fe80::", "2001:db8:1:2:3:4:0:6, 2001:db8:1:2:3:4:0:6", "::127.0.0.1, ::7f00:1",
    })
    void format_writesIpv6Short(String literal, String expected) {
        assertThat(AddressRange.format(address(literal))).isEqualTo(expected);
    }

    @Test
    void literal_parsesAddressesOnly_neverLooksUpNames() {
        assertThat(AddressRange.literal("[::1]")).contains(address("::1"));
        assertThat(AddressRange.literal("127.0.0.1")).isPresent();
        assertThat(AddressRange.literal("localhost")).isEmpty();
        assertThat(AddressRange.literal("cafe:babe")).isEmpty();
        assertThat(AddressRange.literal("1.2.3")).isEmpty();
    }
}
