package io.chargeline.gateway.mqtt;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Where and how the device gateway listens.
 *
 * @param bindAddress interface to bind; loopback by default
 * @param port the mTLS MQTT port (0 picks a free one)
 * @param keyStore PKCS#12 with the server key and chain
 * @param trustStore PKCS#12 with the device CA
 * @param storePassword password of both stores
 * @param issuedByOurCa re-checks a client certificate against the CA at CONNECT (defence in depth over TLS)
 * @param limits protocol limits the gateway advertises and enforces
 */
public record MqttGatewaySettings(
        String bindAddress,
        int port,
        Path keyStore,
        Path trustStore,
        char[] storePassword,
        Predicate<X509Certificate> issuedByOurCa,
        Limits limits) {

    public MqttGatewaySettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(trustStore, "trustStore");
        Objects.requireNonNull(storePassword, "storePassword");
        Objects.requireNonNull(issuedByOurCa, "issuedByOurCa");
        Objects.requireNonNull(limits, "limits");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("mqtt port must be 0-65535, was " + port);
        }
    }

    /**
     * @param maxPacketBytes larger packets end the connection (MQTT 5: DISCONNECT 0x95); twice the 128 KiB payload
     *     limit, so an oversized payload still reaches validation and becomes a dead letter with its reason
     * @param receiveMaximum unacknowledged QoS 1 and 2 publishes a connection may have; advertised to MQTT 5
     *     clients (exceeding it ends the connection), and the point where an MQTT 3 connection stops being read
     * @param topicAliasMaximum inbound topic aliases an MQTT 5 client may set
     * @param maxKeepAlive the longest keep-alive granted; an MQTT 5 client asking for more (or none) gets this
     * @param connectTimeout time from the TCP accept to a CONNECT before the connection is closed
     * @param maxSessionExpiry the longest a persistent session is kept while its client is away (MQTT 3.1.1
     *     persistent sessions, which have no expiry of their own, get this); the alarm event log keeps longer
     *     ({@link io.chargeline.core.alarm.AlarmBook#EVENT_LOG_RETENTION}), so an operator's session can replay all
     *     it missed
     */
    public record Limits(int maxPacketBytes, int receiveMaximum, int topicAliasMaximum, Duration maxKeepAlive,
            Duration connectTimeout, Duration maxSessionExpiry) {
        public static final Limits DEFAULTS = new Limits(256 * 1024, 64, 16, Duration.ofMinutes(20),
                Duration.ofSeconds(10), Duration.ofDays(1));

        public Limits {
            if (receiveMaximum < 1 || receiveMaximum > 65_535) {
                throw new IllegalArgumentException("receiveMaximum must be 1-65535");
            }
            if (topicAliasMaximum < 0 || topicAliasMaximum > 65_535) {
                throw new IllegalArgumentException("topicAliasMaximum must be 0-65535");
            }
            if (maxKeepAlive.toSeconds() < 1 || maxKeepAlive.toSeconds() > 65_535) {
                throw new IllegalArgumentException("maxKeepAlive must be 1-65535 seconds");
            }
        }
    }
}
