package io.chargeline.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The TLS material under the data directory: {@code server.key}/{@code server.crt} (reused across starts,
 * reissued when the host names change or expiry nears) and PKCS#12 stores for the broker, all mode 0600.
 */
public final class TlsFiles {
    private final Path keyStore;
    private final Path trustStore;
    private final char[] storePassword;
    private final ServerIdentity identity;

    private TlsFiles(Path keyStore, Path trustStore, char[] storePassword, ServerIdentity identity) {
        this.keyStore = keyStore;
        this.trustStore = trustStore;
        this.storePassword = storePassword;
        this.identity = identity;
    }

    /** Ensures the server certificate covers localhost, 127.0.0.1 and {@code extraHostnames}. */
    public static TlsFiles prepare(Path dir, CertificateAuthority ca, Collection<String> extraHostnames, Clock clock) {
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
        names.addAll(extraHostnames);
        Path keyFile = dir.resolve("server.key");
        Path certFile = dir.resolve("server.crt");
        try {
            ServerIdentity identity = null;
            if (Files.exists(keyFile) && Files.exists(certFile)) {
                PrivateKey key = CertificateAuthority.readPrivateKey(Files.readString(keyFile));
                X509Certificate cert = CertificateAuthority.readCertificate(Files.readString(certFile));
                if (covers(cert, names) && ca.hasIssued(cert)
                        && cert.getNotAfter().after(Date.from(clock.instant().plus(Duration.ofDays(30))))) {
                    identity = new ServerIdentity(key, cert, ca.certificate());
                }
            }
            if (identity == null) {
                identity = ca.issueServer(new ArrayList<>(names));
                Pem.writeSecret(keyFile, CertificateAuthority.privateKeyPem(identity.key()));
                Pem.writeSecret(certFile, Pem.encode(identity.certificate()));
            }
            char[] password = storePassword(dir.resolve("keystore-password"));
            Path keyStore = dir.resolve("broker-keystore.p12");
            Path trustStore = dir.resolve("broker-truststore.p12");
            identity.writeKeyStore(keyStore, password);
            identity.writeTrustStore(trustStore, password);
            return new TlsFiles(keyStore, trustStore, password, identity);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare TLS files in " + dir, e);
        }
    }

    private static boolean covers(X509Certificate cert, Set<String> names) {
        try {
            Set<String> present = new LinkedHashSet<>();
            var sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                sans.forEach(entry -> present.add(String.valueOf(entry.get(1))));
            }
            return present.containsAll(names.stream().map(n -> n.equals("::1") ? "0:0:0:0:0:0:0:1" : n).toList());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static char[] storePassword(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            Pem.writeSecret(file, Base64.getUrlEncoder().withoutPadding().encodeToString(random));
        }
        return Files.readString(file, StandardCharsets.UTF_8).trim().toCharArray();
    }

    public Path keyStore() {
        return keyStore;
    }

    public Path trustStore() {
        return trustStore;
    }

    public char[] storePassword() {
        return storePassword.clone();
    }

    public ServerIdentity identity() {
        return identity;
    }
}
