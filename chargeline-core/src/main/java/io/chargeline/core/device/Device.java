package io.chargeline.core.device;

import java.time.Instant;
import java.util.Objects;

/**
 * A provisioned charger: the serial of the one certificate it may connect with, and whether it was revoked.
 */
public record Device(String chargerId, String certificateSerial, Instant createdAt, Instant notAfter, Instant revokedAt) {
    public Device {
        ChargerIds.require(chargerId);
        Objects.requireNonNull(certificateSerial, "certificateSerial");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(notAfter, "notAfter");
    }

    public boolean isRevoked() {
        return revokedAt != null;
    }

    public Device revoked(Instant at) {
        return new Device(chargerId, certificateSerial, createdAt, notAfter, at);
    }
}
