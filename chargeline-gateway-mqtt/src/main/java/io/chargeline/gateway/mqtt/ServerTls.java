package io.chargeline.gateway.mqtt;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Security;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.X509CertSelector;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of mutual TLS: TLS 1.3 and 1.2 only, a client certificate chained to our CA required in the
 * handshake. BoringSSL (netty-tcnative) where it loads, the JDK's TLS elsewhere, said once at start.
 */
final class ServerTls {
    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);

    /** The context and a name for the start banner. */
    record Context(SslContext ssl, String provider) {}

    private ServerTls() {}

    static Context build(MqttGatewaySettings settings) {
        SslProvider provider;
        String name;
        if (OpenSsl.isAvailable()) {
            provider = SslProvider.OPENSSL;
            name = OpenSsl.versionString();
        } else {
            provider = SslProvider.JDK;
            name = "JDK";
            LOG.warn("gateway: OpenSSL (netty-tcnative BoringSSL) not available ({}); using the JDK's TLS, which costs "
                    + "more CPU per message", String.valueOf(OpenSsl.unavailabilityCause()));
        }
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(settings.keyStore(), settings.storePassword()), settings.storePassword());
            TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
            trust.init(chainChecks(load(settings.trustStore(), settings.storePassword())));
            SslContext ssl = SslContextBuilder.forServer(keys)
                    .trustManager(trust)
                    .clientAuth(ClientAuth.REQUIRE)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .sslProvider(provider)
                    .build();
            return new Context(ssl, name);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("gateway: cannot build the TLS context from " + settings.keyStore() + " and "
                    + settings.trustStore() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The JDK's PKIX checks of the client chain (what the default trust manager does, revocation left to the registry
     * check at CONNECT), with one change: signatures are verified by BouncyCastle. Even with BoringSSL doing the TLS,
     * the chain is checked in Java, and the JDK 17 ECDSA P-256 verify was half the server's CPU while chargers
     * connected (BouncyCastle's is about four times faster; see docs/benchmarks.md, Connections).
     */
    private static CertPathTrustManagerParameters chainChecks(KeyStore anchors) throws GeneralSecurityException {
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            Security.addProvider(new BouncyCastleProvider()); // last in line: no other default changes
        }
        PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, new X509CertSelector());
        parameters.setRevocationEnabled(false);
        parameters.setSigProvider(BouncyCastleProvider.PROVIDER_NAME);
        return new CertPathTrustManagerParameters(parameters);
    }

    private static KeyStore load(Path file, char[] password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        return store;
    }
}
