package io.chargeline.pki;

import io.chargeline.core.InvalidRequestException;
import io.chargeline.core.device.CertificateIssuer;
import io.chargeline.core.device.IssuedCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * The platform's own CA (ECDSA P-256). It signs the server certificate and every device certificate; the
 * device's subject CN is its charger id. The CA key never leaves the data directory (file mode 0600).
 */
public final class CertificateAuthority implements CertificateIssuer {
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration LEAF_VALIDITY = Duration.ofDays(825);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Used explicitly, never registered globally, so the broker's own JCA setup is left alone. */
    static final Provider BC = new BouncyCastleProvider();

    private final KeyPair caKeys;
    private final X509Certificate caCert;
    private final String caPem;
    private final Clock clock;

    private CertificateAuthority(KeyPair caKeys, X509Certificate caCert, Clock clock) {
        this.caKeys = caKeys;
        this.caCert = caCert;
        this.caPem = Pem.encode(caCert);
        this.clock = clock;
    }

    /** Loads {@code ca.key}/{@code ca.crt} from {@code dir}, creating them on first use. */
    public static CertificateAuthority loadOrCreate(Path dir, Clock clock) {
        Path keyFile = dir.resolve("ca.key");
        Path certFile = dir.resolve("ca.crt");
        try {
            if (Files.exists(keyFile) && Files.exists(certFile)) {
                PrivateKey key = readPrivateKey(Files.readString(keyFile));
                X509Certificate cert = readCertificate(Files.readString(certFile));
                return new CertificateAuthority(new KeyPair(cert.getPublicKey(), key), cert, clock);
            }
            KeyPair keys = newKeyPair();
            Instant now = clock.instant();
            X500Name name = new X500Name("CN=Chargeline Device CA");
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(CA_VALIDITY)), name, keys.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            X509Certificate cert = sign(builder, keys.getPrivate());
            Pem.writeSecret(keyFile, privateKeyPem(keys.getPrivate()));
            Pem.writeSecret(certFile, Pem.encode(cert));
            return new CertificateAuthority(keys, cert, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the CA from " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create the CA", e);
        }
    }

    public X509Certificate certificate() {
        return caCert;
    }

    @Override
    public String caCertificatePem() {
        return caPem;
    }

    @Override
    public IssuedCertificate issue(String chargerId) {
        KeyPair keys = newKeyPair();
        X509Certificate cert = signLeaf(chargerId, keys.getPublic(), List.of(), true);
        return issued(cert, privateKeyPem(keys.getPrivate()));
    }

    @Override
    public IssuedCertificate issueForCsr(String chargerId, String csrPem) {
        JcaPKCS10CertificationRequest csr = parseCsr(csrPem);
        try {
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(BC).build(csr.getSubjectPublicKeyInfo()))) {
                throw new InvalidRequestException("csrPem signature does not verify: the CSR was not signed by its key");
            }
            PublicKey key = csr.getPublicKey();
            if (!"EC".equals(key.getAlgorithm()) && !"RSA".equals(key.getAlgorithm())) {
                throw new InvalidRequestException("csrPem key must be EC or RSA, not " + key.getAlgorithm());
            }
            return issued(signLeaf(chargerId, key, List.of(), true), null);
        } catch (OperatorCreationException | PKCSException | GeneralSecurityException e) {
            throw new InvalidRequestException("csrPem cannot be verified: " + e.getMessage());
        }
    }

    /** A TLS server certificate valid for the given DNS names and IP addresses. */
    public ServerIdentity issueServer(List<String> hostnames) {
        KeyPair keys = newKeyPair();
        X509Certificate cert = signLeaf("chargeline-server", keys.getPublic(), hostnames, false);
        return new ServerIdentity(keys.getPrivate(), cert, caCert);
    }

    /** True if {@code cert} was signed by this CA and is within its validity at this moment. */
    public boolean hasIssued(X509Certificate cert) {
        try {
            cert.verify(caKeys.getPublic(), BC); // BouncyCastle: about four times faster than the JDK 17 ECDSA verify
            cert.checkValidity(Date.from(clock.instant()));
            return cert.getIssuerX500Principal().equals(caCert.getSubjectX500Principal());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The CN of a certificate's subject, or null when it has none. */
    public static String commonName(X509Certificate cert) {
        X500Name name = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        var rdns = name.getRDNs(org.bouncycastle.asn1.x500.style.BCStyle.CN);
        return rdns.length == 0 ? null : rdns[0].getFirst().getValue().toString();
    }

    public static String serialOf(X509Certificate cert) {
        return cert.getSerialNumber().toString(16);
    }

    private X509Certificate signLeaf(String cn, PublicKey key, List<String> hostnames, boolean client) {
        try {
            Instant now = clock.instant();
            X500Name subject = new X500Name(new X500Principal("CN=" + cn).getName());
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caCert, serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(LEAF_VALIDITY)), subject, key);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(client ? KeyPurposeId.id_kp_clientAuth : KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
            if (!hostnames.isEmpty()) {
                GeneralName[] names = hostnames.stream()
                        .map(h -> new GeneralName(isIpAddress(h) ? GeneralName.iPAddress : GeneralName.dNSName, h))
                        .toArray(GeneralName[]::new);
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            return sign(builder, caKeys.getPrivate());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a certificate for " + cn, e);
        }
    }

    private static boolean isIpAddress(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }

    private static IssuedCertificate issued(X509Certificate cert, String keyPem) {
        return new IssuedCertificate(Pem.encode(cert), keyPem, serialOf(cert), cert.getNotAfter().toInstant());
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, PrivateKey key)
            throws GeneralSecurityException {
        try {
            ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(key);
            X509CertificateHolder holder = builder.build(signer);
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static JcaPKCS10CertificationRequest parseCsr(String csrPem) {
        Objects.requireNonNull(csrPem, "csrPem");
        try {
            Object parsed = Pem.decode(csrPem);
            if (parsed instanceof org.bouncycastle.pkcs.PKCS10CertificationRequest request) {
                return new JcaPKCS10CertificationRequest(request).setProvider(BC);
            }
        } catch (IOException | RuntimeException e) {
            // fall through to the client error below
        }
        throw new InvalidRequestException("csrPem must be a PEM certificate signing request (BEGIN CERTIFICATE REQUEST)");
    }

    static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is not available", e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    /** Reads a PKCS#8 or SEC1 PEM key as a JDK key, so JDK signers and key stores accept it. */
    static PrivateKey readPrivateKey(String pem) throws IOException {
        Object parsed = Pem.decode(pem);
        PrivateKeyInfo info;
        if (parsed instanceof PEMKeyPair pair) {
            info = pair.getPrivateKeyInfo();
        } else if (parsed instanceof PrivateKeyInfo keyInfo) {
            info = keyInfo;
        } else {
            throw new IOException("not a PEM private key");
        }
        String algorithm = info.getPrivateKeyAlgorithm().getAlgorithm().equals(
                org.bouncycastle.asn1.x9.X9ObjectIdentifiers.id_ecPublicKey) ? "EC" : "RSA";
        try {
            return java.security.KeyFactory.getInstance(algorithm)
                    .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IOException("unsupported private key: " + e.getMessage(), e);
        }
    }

    /** PKCS#8 PEM ("BEGIN PRIVATE KEY"), which OpenSSL, mosquitto and Java clients all read. */
    static String privateKeyPem(PrivateKey key) {
        try {
            return Pem.encode(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null).generate());
        } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new IllegalStateException("cannot encode a private key", e);
        }
    }

    static X509Certificate readCertificate(String pem) throws IOException {
        Object parsed = Pem.decode(pem);
        if (!(parsed instanceof X509CertificateHolder holder)) {
            throw new IOException("not a certificate");
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }
}
