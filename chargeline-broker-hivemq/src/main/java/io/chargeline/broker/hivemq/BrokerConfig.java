package io.chargeline.broker.hivemq;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes HiveMQ's config.xml: one mTLS listener with client certificates required, usage statistics off,
 * file persistence, packets capped a little above the telemetry limit so oversized payloads still reach
 * validation and land in the dead-letter store with a reason, instead of only dropping the connection.
 */
final class BrokerConfig {
    /** 2x the 128 KiB payload limit: room for topic and properties; larger packets end the connection. */
    static final int MAX_PACKET_SIZE = 256 * 1024;

    /** MQTT 5 flow control: at most this many unacknowledged QoS 1 publishes per connection. */
    static final int SERVER_RECEIVE_MAXIMUM = 64;

    private BrokerConfig() {}

    static Path write(Path configDir, GatewaySettings s, int port) throws IOException {
        Files.createDirectories(configDir);
        String xml = """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <tls-tcp-listener>
                            <port>%d</port>
                            <bind-address>%s</bind-address>
                            <name>chargeline-mtls</name>
                            <tls>
                                <keystore>
                                    <path>%s</path>
                                    <password>%s</password>
                                    <private-key-password>%s</private-key-password>
                                </keystore>
                                <truststore>
                                    <path>%s</path>
                                    <password>%s</password>
                                </truststore>
                                <client-authentication-mode>REQUIRED</client-authentication-mode>
                                <protocols>
                                    <protocol>TLSv1.3</protocol>
                                    <protocol>TLSv1.2</protocol>
                                </protocols>
                            </tls>
                        </tls-tcp-listener>
                    </listeners>
                    <mqtt>
                        <packets>
                            <max-packet-size>%d</max-packet-size>
                        </packets>
                        <receive-maximum>
                            <server-receive-maximum>%d</server-receive-maximum>
                        </receive-maximum>
                    </mqtt>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                    <persistence>
                        <mode>file</mode>
                    </persistence>
                </hivemq>
                """.formatted(port, xmlEscape(s.bindAddress()),
                        xmlEscape(s.keyStore().toAbsolutePath().toString()), xmlEscape(new String(s.storePassword())),
                        xmlEscape(new String(s.storePassword())), xmlEscape(s.trustStore().toAbsolutePath().toString()),
                        xmlEscape(new String(s.storePassword())), MAX_PACKET_SIZE, SERVER_RECEIVE_MAXIMUM);
        Path file = configDir.resolve("config.xml");
        Files.deleteIfExists(file);
        // the file holds the key store password
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, xml);
        return file;
    }

    private static String xmlEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
