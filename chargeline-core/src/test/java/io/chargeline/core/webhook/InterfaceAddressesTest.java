package io.chargeline.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class InterfaceAddressesTest {

    @Test
    void theLoopbackInterface_isAmongThisMachinesAddresses() {
        InterfaceAddresses own = new InterfaceAddresses();

        assertThat(own.get()).contains(InetAddress.getLoopbackAddress());
        assertThat(own.get()).as("read once, then served from the snapshot").isSameAs(own.get());
    }
}
