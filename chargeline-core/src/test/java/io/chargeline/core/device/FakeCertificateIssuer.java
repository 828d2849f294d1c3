package io.chargeline.core.device;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Issues placeholder certificates with serials serial-1, serial-2, ... and records whom they named. */
public final class FakeCertificateIssuer implements CertificateIssuer {
    public final List<String> issuedTo = new CopyOnWriteArrayList<>();

    @Override
    public synchronized IssuedCertificate issue(String commonName) {
        issuedTo.add(commonName);
        return new IssuedCertificate("cert", "key", "serial-" + issuedTo.size(), Instant.parse("2030-01-01T00:00:00Z"));
    }

    @Override
    public IssuedCertificate issueForCsr(String commonName, String csrPem) {
        return issue(commonName);
    }

    @Override
    public String caCertificatePem() {
        return "ca";
    }
}
