package io.chargeline.pki;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

/** The broker's TLS identity: its key, its certificate and the CA that signed it. */
public record ServerIdentity(PrivateKey key, X509Certificate certificate, X509Certificate ca) {

    /** Writes the key and chain as a PKCS#12 key store, mode 0600. */
    public void writeKeyStore(Path file, char[] password) {
        writeStore(file, password, store -> store.setKeyEntry("server", key, password, new Certificate[] {certificate, ca}));
    }

    /** Writes a PKCS#12 trust store holding only the CA, mode 0600. */
    public void writeTrustStore(Path file, char[] password) {
        writeStore(file, password, store -> store.setCertificateEntry("chargeline-ca", ca));
    }

    private interface Filler {
        void fill(KeyStore store) throws GeneralSecurityException;
    }

    private static void writeStore(Path file, char[] password, Filler filler) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            filler.fill(store);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, password);
            Pem.writeSecret(file, out.toByteArray());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write key store " + file, e);
        }
    }
}
