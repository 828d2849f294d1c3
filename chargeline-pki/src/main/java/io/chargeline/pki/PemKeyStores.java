package io.chargeline.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Client-side helpers: Java key and trust managers from the PEM files a device is given, and CSRs for
 * devices that keep their own key. Used by the CLI, the tests and the simulator.
 */
public final class PemKeyStores {
    private PemKeyStores() {}

    public static X509Certificate certificate(String pem) {
        try {
            return CertificateAuthority.readCertificate(pem);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a PEM certificate", e);
        }
    }

    public static PrivateKey privateKey(String pem) {
        try {
            return CertificateAuthority.readPrivateKey(pem);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a PEM private key", e);
        }
    }

    /** PKCS#8 PEM of a private key, the form devices are given. */
    public static String privateKeyPem(PrivateKey key) {
        return CertificateAuthority.privateKeyPem(key);
    }

    public static KeyPair newKeyPair() {
        return CertificateAuthority.newKeyPair();
    }

    /** Key managers presenting {@code certPem} with the private key {@code keyPem}. */
    public static KeyManagerFactory keyManagers(String certPem, String keyPem) {
        try {
            char[] password = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("device", privateKey(keyPem), password, new Certificate[] {certificate(certPem)});
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, password);
            return factory;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a key store", e);
        }
    }

    /** Trust managers that trust only {@code caPem}. */
    public static TrustManagerFactory trustManagers(String caPem) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("ca", certificate(caPem));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a trust store", e);
        }
    }

    /** A PEM CSR for {@code keys} with subject CN={@code chargerId}. */
    public static String csr(String chargerId, KeyPair keys) {
        try {
            var request = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + chargerId), keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(CertificateAuthority.BC).build(keys.getPrivate()));
            return Pem.encode(request);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign a CSR", e);
        } catch (UncheckedIOException e) {
            throw e;
        }
    }
}
