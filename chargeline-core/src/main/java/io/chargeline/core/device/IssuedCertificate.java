package io.chargeline.core.device;

import java.time.Instant;

/** A device certificate as PEM; {@code privateKeyPem} is null when the device sent a CSR. */
public record IssuedCertificate(
        String certificatePem, String privateKeyPem, String serial, Instant notAfter) {}
