package io.chargeline.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chargeline.core.InvalidRequestException;
import io.chargeline.core.device.IssuedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();

    @Test
    void firstStart_createsCaFilesOwnerOnly_andLaterStartsReuseThem() throws Exception {
        CertificateAuthority first = CertificateAuthority.loadOrCreate(dir, clock);

        CertificateAuthority second = CertificateAuthority.loadOrCreate(dir, clock);

        assertThat(second.caCertificatePem()).isEqualTo(first.caCertificatePem());
        assertThat(Files.getPosixFilePermissions(dir.resolve("ca.key")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(first.certificate().getBasicConstraints()).isZero();
    }

    @Test
    void caLoadedFromDisk_stillSignsDeviceAndServerCertificates() {
        CertificateAuthority.loadOrCreate(dir, clock);
        CertificateAuthority reloaded = CertificateAuthority.loadOrCreate(dir, clock);

        X509Certificate device = PemKeyStores.certificate(reloaded.issue("CH-after-restart").certificatePem());
        X509Certificate server = reloaded.issueServer(List.of("localhost")).certificate();

        assertThat(reloaded.hasIssued(device)).isTrue();
        assertThat(reloaded.hasIssued(server)).isTrue();
        assertThat(PemKeyStores.privateKey(PemKeyStores.privateKeyPem(PemKeyStores.newKeyPair().getPrivate()))
                .getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void issue_signsAClientCertificateNamingTheCharger_withItsKey() {
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir, clock);

        IssuedCertificate issued = ca.issue("CH-1");

        X509Certificate cert = PemKeyStores.certificate(issued.certificatePem());
        assertThat(CertificateAuthority.commonName(cert)).isEqualTo("CH-1");
        assertThat(ca.hasIssued(cert)).isTrue();
        assertThat(CertificateAuthority.serialOf(cert)).isEqualTo(issued.serial());
        assertThat(issued.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(PemKeyStores.keyManagers(issued.certificatePem(), issued.privateKeyPem())).isNotNull();
    }

    @Test
    void issueForCsr_certifiesTheCsrKey_namesTheRequestedCharger_andReturnsNoKey() {
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir, clock);
        KeyPair keys = PemKeyStores.newKeyPair();

        IssuedCertificate issued = ca.issueForCsr("CH-2", PemKeyStores.csr("someone-else", keys));

        X509Certificate cert = PemKeyStores.certificate(issued.certificatePem());
        assertThat(issued.privateKeyPem()).isNull();
        assertThat(cert.getPublicKey()).isEqualTo(keys.getPublic());
        assertThat(CertificateAuthority.commonName(cert)).isEqualTo("CH-2");
    }

    @Test
    void issueForCsr_rejectsGarbage_andCertificatesPassedAsCsr() {
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir, clock);

        assertThatThrownBy(() -> ca.issueForCsr("CH-1", "hello")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> ca.issueForCsr("CH-1", ca.caCertificatePem()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("CERTIFICATE REQUEST");
    }

    @Test
    void foreignCa_certificate_isNotIssuedByUs() {
        CertificateAuthority ours = CertificateAuthority.loadOrCreate(dir.resolve("a"), clock);
        CertificateAuthority theirs = CertificateAuthority.loadOrCreate(dir.resolve("b"), clock);

        X509Certificate foreign = PemKeyStores.certificate(theirs.issue("CH-1").certificatePem());

        assertThat(ours.hasIssued(foreign)).isFalse();
    }

    @Test
    void tlsFiles_reuseServerCertificate_untilHostnamesChange() throws Exception {
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir, clock);

        TlsFiles first = TlsFiles.prepare(dir, ca, List.of(), clock);
        TlsFiles again = TlsFiles.prepare(dir, ca, List.of(), clock);
        TlsFiles renamed = TlsFiles.prepare(dir, ca, List.of("charge.example.com"), clock);

        assertThat(again.identity().certificate()).isEqualTo(first.identity().certificate());
        assertThat(renamed.identity().certificate()).isNotEqualTo(first.identity().certificate());
        assertThat(renamed.identity().certificate().getSubjectAlternativeNames())
                .extracting(l -> String.valueOf(l.get(1)))
                .contains("localhost", "127.0.0.1", "charge.example.com");
        for (String file : List.of("server.key", "keystore-password", "broker-keystore.p12")) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir.resolve(file));
            assertThat(perms).as(file).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE);
        }
    }
}
