package io.chargeline.core.device;

import io.chargeline.core.InvalidRequestException;

/** Signs device certificates whose subject CN is the charger id. */
public interface CertificateIssuer {
    /** Generates a key pair and a certificate for it. */
    IssuedCertificate issue(String chargerId);

    /**
     * Signs the public key of a PEM certificate signing request. The CSR's own subject is ignored: the
     * certificate always names {@code chargerId}. Throws {@link InvalidRequestException} for a bad CSR.
     */
    IssuedCertificate issueForCsr(String chargerId, String csrPem);

    String caCertificatePem();
}
