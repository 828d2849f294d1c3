package io.chargeline.core.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chargeline.core.ConflictException;
import io.chargeline.core.InvalidRequestException;
import io.chargeline.core.MutableClock;
import io.chargeline.core.NotFoundException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceServiceTest {
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));

    private final FakeCertificateIssuer issuer = new FakeCertificateIssuer();
    private final List<String> issuedTo = issuer.issuedTo;
    private final List<String> disconnected = new ArrayList<>();

    @Test
    void operators_getOperatorCommonNames_andRevokingDropsThatClientId() {
        DeviceService operators = DeviceService.forOperators(new InMemoryDeviceRegistry(), issuer, CLOCK);
        operators.attachSessions(disconnected::add);

        operators.provision("night-shift", null);
        assertThat(issuedTo).containsExactly("operator:night-shift");
        assertThat(operators.mayConnect("night-shift", "serial-1")).isTrue();

        operators.revoke("night-shift");
        assertThat(disconnected).containsExactly("operator:night-shift");
        assertThat(operators.mayConnect("night-shift", "serial-1")).isFalse();
        operators.provision("night-shift", null);
        assertThat(operators.mayConnect("night-shift", "serial-1")).isFalse();
        assertThat(operators.mayConnect("night-shift", "serial-2")).isTrue();
    }

    @Test
    void revoke_isKnownInMemory_toldOnceToListeners_andProvisioningAgainUndoesIt() {
        InMemoryDeviceRegistry registry = new InMemoryDeviceRegistry();
        DeviceService chargers = new DeviceService(registry, issuer, CLOCK);
        List<String> told = new ArrayList<>();
        chargers.onRevoked(told::add);
        chargers.provision("CH-1", null);

        chargers.revoke("CH-1");
        chargers.revoke("CH-1");

        assertThat(chargers.isRevoked("CH-1")).isTrue();
        assertThat(told).containsExactly("CH-1");
        assertThat(new DeviceService(registry, issuer, CLOCK).isRevoked("CH-1")).as("after a restart").isTrue();
        chargers.provision("CH-1", null);
        assertThat(chargers.isRevoked("CH-1")).isFalse();
    }

    @Test
    void aFailingRevocationListener_keepsTheOthersToldAndTheRevocation() {
        DeviceService chargers = new DeviceService(new InMemoryDeviceRegistry(), issuer, CLOCK);
        List<String> told = new ArrayList<>();
        chargers.onRevoked(id -> {
            throw new IllegalStateException("bug");
        });
        chargers.onRevoked(told::add);
        chargers.provision("CH-1", null);

        chargers.revoke("CH-1");

        assertThat(told).containsExactly("CH-1");
        assertThat(chargers.isRevoked("CH-1")).isTrue();
    }

    @Test
    void errors_nameTheKind() {
        DeviceService chargers = new DeviceService(new InMemoryDeviceRegistry(), issuer, CLOCK);
        DeviceService operators = DeviceService.forOperators(new InMemoryDeviceRegistry(), issuer, CLOCK);
        chargers.provision("CH-1", null);
        operators.provision("ops", null);

        assertThat(issuedTo).containsExactly("CH-1", "operator:ops");
        assertThatThrownBy(() -> chargers.provision("CH-1", null)).isInstanceOf(ConflictException.class)
                .hasMessage("charger CH-1 is already provisioned; revoke it first");
        assertThatThrownBy(() -> operators.provision("ops", null)).isInstanceOf(ConflictException.class)
                .hasMessage("operator ops is already provisioned; revoke it first");
        assertThatThrownBy(() -> operators.provision("operator:x", null)).isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("name must match");
        assertThatThrownBy(() -> chargers.require("CH 1")).isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("chargerId must match");
        assertThatThrownBy(() -> operators.revoke("nobody")).isInstanceOf(NotFoundException.class)
                .hasMessage("operator nobody is not provisioned");
    }

    @Test
    void clientKind_readsTheCommonName() {
        assertThat(ClientKind.of("operator:ops")).isEqualTo(ClientKind.OPERATOR);
        assertThat(ClientKind.OPERATOR.idOf("operator:ops")).isEqualTo("ops");
        assertThat(ClientKind.OPERATOR.idOf("operator:")).isNull();
        assertThat(ClientKind.OPERATOR.idOf("operator:a/b")).isNull();
        assertThat(ClientKind.of("CH-1")).isEqualTo(ClientKind.CHARGER);
        assertThat(ClientKind.CHARGER.idOf("CH-1")).isEqualTo("CH-1");
        assertThat(ClientKind.of("operator")).isEqualTo(ClientKind.CHARGER);
        assertThat(ClientKind.CHARGER.idOf(null)).isNull();
    }
}
