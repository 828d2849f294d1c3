package io.chargeline.app;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.chargeline.pki.PemKeyStores;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A client's PEM files, and real MQTT clients (HiveMQ MQTT 5, Paho 3.1.1) that present them. {@code chargerId} is
 * the MQTT client id: for an operator, {@code operator:<name>}.
 */
record Credentials(String chargerId, String certificatePem, String privateKeyPem, String caPem) {

    MqttClientSslConfig ssl() {
        return MqttClientSslConfig.builder()
                .keyManagerFactory(PemKeyStores.keyManagers(certificatePem, privateKeyPem))
                .trustManagerFactory(PemKeyStores.trustManagers(caPem))
                .build();
    }

    /** An unconnected MQTT 5 client with this identity; {@code clientId} may differ to test refusal. */
    Mqtt5BlockingClient mqtt5(int port, String clientId) {
        return Mqtt5Client.builder()
                .identifier(clientId)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .sslConfig(ssl())
                .buildBlocking();
    }

    Mqtt5BlockingClient mqtt5(int port) {
        return mqtt5(port, chargerId);
    }

    /** A connected Paho MQTT 3.1.1 client with this identity. */
    MqttClient paho(int port) throws MqttException {
        MqttClient client = new MqttClient("ssl://127.0.0.1:" + port, chargerId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        options.setSocketFactory(sslContext().getSocketFactory());
        client.setTimeToWait(10_000);
        client.connect(options);
        return client;
    }

    SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(PemKeyStores.keyManagers(certificatePem, privateKeyPem).getKeyManagers(),
                    PemKeyStores.trustManagers(caPem).getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
