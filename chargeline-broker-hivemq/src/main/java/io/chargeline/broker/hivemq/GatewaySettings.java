package io.chargeline.broker.hivemq;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Where and how the device gateway listens.
 *
 * @param workDir broker configuration and persistence live under it
 * @param bindAddress interface to bind; loopback by default
 * @param port the mTLS MQTT port (0 picks a free one)
 * @param keyStore PKCS#12 with the server key and chain
 * @param trustStore PKCS#12 with the device CA
 * @param storePassword password of both stores
 * @param issuedByOurCa re-checks a client certificate against the CA at CONNECT (defence in depth over TLS)
 */
public record GatewaySettings(
        Path workDir,
        String bindAddress,
        int port,
        Path keyStore,
        Path trustStore,
        char[] storePassword,
        Predicate<X509Certificate> issuedByOurCa) {

    public GatewaySettings {
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(trustStore, "trustStore");
        Objects.requireNonNull(storePassword, "storePassword");
        Objects.requireNonNull(issuedByOurCa, "issuedByOurCa");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("mqtt port must be 0-65535, was " + port);
        }
    }
}
