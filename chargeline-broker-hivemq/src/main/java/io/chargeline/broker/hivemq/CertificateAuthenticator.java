package io.chargeline.broker.hivemq;

import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.client.parameter.TlsInformation;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import io.chargeline.core.CertificateSubjects;
import io.chargeline.core.ClientKind;
import io.chargeline.core.DeviceService;
import io.chargeline.core.GatewayMetrics;
import io.chargeline.core.GatewayMetrics.ConnectRefusal;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CONNECT rule: the client certificate chains to our CA, its CN names a provisioned charger ({@code <chargerId>})
 * or operator ({@code operator:<name>}) whose current certificate it is (not revoked, not superseded), and the
 * MQTT client id equals that CN.
 */
final class CertificateAuthenticator implements SimpleAuthenticator {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateAuthenticator.class);

    private final DeviceService devices;
    private final DeviceService operators;
    private final Predicate<X509Certificate> issuedByOurCa;
    private final GatewayMetrics metrics;

    CertificateAuthenticator(DeviceService devices, DeviceService operators, Predicate<X509Certificate> issuedByOurCa,
            GatewayMetrics metrics) {
        this.devices = devices;
        this.operators = operators;
        this.issuedByOurCa = issuedByOurCa;
        this.metrics = metrics;
    }

    @Override
    public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
        String clientId = input.getClientInformation().getClientId();
        Optional<X509Certificate> cert = input.getConnectionInformation().getTlsInformation()
                .map(CertificateAuthenticator::certificateOf);
        if (cert.isEmpty()) {
            refuse(output, clientId, ConnectRefusal.NO_CERTIFICATE, ConnackReasonCode.NOT_AUTHORIZED,
                    "a client certificate is required");
            return;
        }
        if (!issuedByOurCa.test(cert.get())) {
            refuse(output, clientId, ConnectRefusal.UNTRUSTED_CERTIFICATE, ConnackReasonCode.NOT_AUTHORIZED,
                    "the client certificate is not issued by this server's CA or has expired");
            return;
        }
        String cn = CertificateSubjects.commonName(cert.get());
        ClientKind kind = ClientKind.of(cn);
        String id = kind.idOf(cn);
        if (id == null) {
            refuse(output, clientId, ConnectRefusal.BAD_CERTIFICATE_CN, ConnackReasonCode.NOT_AUTHORIZED,
                    "the certificate CN is not a valid charger id or operator:<name>");
            return;
        }
        if (!cn.equals(clientId)) {
            refuse(output, clientId, ConnectRefusal.CLIENT_ID_MISMATCH, ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                    "the MQTT client id must equal the certificate CN (" + cn + ")");
            return;
        }
        String serial = cert.get().getSerialNumber().toString(16);
        DeviceService registry = kind == ClientKind.OPERATOR ? operators : devices;
        if (!registry.mayConnect(id, serial)) {
            refuse(output, clientId, ConnectRefusal.REVOKED, ConnackReasonCode.NOT_AUTHORIZED,
                    "the certificate is revoked or no longer the " + kind.noun() + "'s current one");
            return;
        }
        LOG.debug("{} authenticated (certificate serial {})", cn, serial);
        output.authenticateSuccessfully();
    }

    private void refuse(SimpleAuthOutput output, String clientId, ConnectRefusal reason, ConnackReasonCode code, String why) {
        metrics.connectRefused(reason);
        LOG.info("{} CONNECT refused: {}", clientId, why);
        output.failAuthentication(code, why);
    }

    private static X509Certificate certificateOf(TlsInformation tls) {
        try {
            return tls.getCertificate();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
