package io.chargeline.tools.bench;

/** One simulated charger's credentials; the private key never leaves the tool. */
public record DeviceIdentity(String chargerId, String certificatePem, String privateKeyPem) {}
