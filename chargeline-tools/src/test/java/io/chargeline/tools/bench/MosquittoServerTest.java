package io.chargeline.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.chargeline.core.device.IssuedCertificate;
import io.chargeline.pki.CertificateAuthority;
import io.chargeline.pki.PemKeyStores;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The peer broker starts with our CA and mutual TLS, takes a charger's publish, and stops. */
class MosquittoServerTest {
    @TempDir
    Path dir;

    @Test
    void peer_startsWithOurCa_acceptsOurCharger_andStops() throws Exception {
        assertThat(MosquittoServer.isInstalled()).as("mosquitto is installed (.ci/run installs it)").isTrue();
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir.resolve("tls"), Clock.systemUTC());
        IssuedCertificate cert = ca.issue("CH-peer");
        int port;

        try (MosquittoServer mosquitto = MosquittoServer.start(ca, dir.resolve("mosquitto"))) {
            port = mosquitto.mqttPort();
            Mqtt5BlockingClient client = Mqtt5Client.builder().identifier("CH-peer").serverHost("127.0.0.1").serverPort(port)
                    .sslConfig(MqttClientSslConfig.builder()
                            .keyManagerFactory(PemKeyStores.keyManagers(cert.certificatePem(), cert.privateKeyPem()))
                            .trustManagerFactory(PemKeyStores.trustManagers(ca.caCertificatePem()))
                            .build())
                    .buildBlocking();
            client.connect();
            client.publishWith().topic("telemetry/CH-peer").qos(MqttQos.AT_LEAST_ONCE)
                    .payload("{}".getBytes(StandardCharsets.UTF_8)).send();
            client.disconnect();
            assertThat(mosquitto.isAlive()).isTrue();
        }

        assertThat(accepts(port)).isFalse();
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
