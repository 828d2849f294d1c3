package io.chargeline.app;

import io.chargeline.core.webhook.AddressRange;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Effective configuration of {@code chargeline start}, validated when built.
 *
 * @param deviceHttpPort the chargers' HTTPS port (mutual TLS): artifact downloads
 * @param silenceThreshold how long a charger may send nothing before its SILENT alarm (chargers can override)
 * @param maxArtifactBytes the largest update artifact that may be uploaded
 * @param adminApiKey the admin key from the environment, or null to use (or create) the one in the data dir
 * @param webhookAllow address ranges webhooks may reach although they are private, loopback, link-local or the
 *     server's own (on-premise receivers); empty: none
 */
public record PlatformConfig(
        Path dataDir,
        String bindAddress,
        int mqttPort,
        int httpPort,
        int deviceHttpPort,
        List<String> hostnames,
        Duration retention,
        Duration silenceThreshold,
        long maxArtifactBytes,
        String adminApiKey,
        List<AddressRange> webhookAllow) {
    public static final Duration DEFAULT_SILENCE_THRESHOLD = Duration.ofMinutes(5);
    public static final long DEFAULT_MAX_ARTIFACT_BYTES = 512L * 1024 * 1024;

    public PlatformConfig {
        Objects.requireNonNull(dataDir, "data-dir");
        Objects.requireNonNull(bindAddress, "bind");
        hostnames = List.copyOf(hostnames);
        webhookAllow = List.copyOf(webhookAllow);
        checkPort("--mqtt-port", mqttPort);
        checkPort("--http-port", httpPort);
        checkPort("--device-http-port", deviceHttpPort);
        checkDistinct("--mqtt-port", mqttPort, "--http-port", httpPort);
        checkDistinct("--mqtt-port", mqttPort, "--device-http-port", deviceHttpPort);
        checkDistinct("--http-port", httpPort, "--device-http-port", deviceHttpPort);
        if (maxArtifactBytes < 1) {
            throw new IllegalArgumentException("--max-artifact-size must be positive");
        }
        if (retention == null || retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("--retention must be positive, e.g. 90d or P90D");
        }
        if (retention.compareTo(Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException("--retention must be at least P1D: telemetry is dropped by whole days");
        }
        if (silenceThreshold == null || silenceThreshold.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("--silence-threshold must be at least 1s, e.g. 5m or PT5M");
        }
        if (adminApiKey != null && adminApiKey.length() < 16) {
            throw new IllegalArgumentException("CHARGELINE_ADMIN_API_KEY must be at least 16 characters");
        }
    }

    /** Parses {@code --webhook-allow} values (IPv4 or IPv6 CIDR ranges); blank entries are skipped. */
    public static List<AddressRange> parseWebhookAllow(List<String> values) {
        return values.stream().filter(v -> !v.isBlank()).map(v -> {
            try {
                return AddressRange.parse(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--webhook-allow (CHARGELINE_WEBHOOK_ALLOW): " + e.getMessage());
            }
        }).toList();
    }

    private static void checkPort(String flag, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(flag + " must be between 0 and 65535 (0 picks a free port), was " + port);
        }
    }

    private static void checkDistinct(String flag, int port, String otherFlag, int otherPort) {
        if (port != 0 && port == otherPort) {
            throw new IllegalArgumentException(flag + " and " + otherFlag + " are both " + port
                    + "; give each its own port");
        }
    }

    /** For the start-up log: everything but the secret. */
    @Override
    public String toString() {
        return "data-dir=" + dataDir.toAbsolutePath() + " bind=" + bindAddress + " mqtt-port=" + mqttPort
                + " http-port=" + httpPort + " device-http-port=" + deviceHttpPort + " hostnames=" + hostnames
                + " retention=" + DurationConverter.format(retention)
                + " silence-threshold=" + DurationConverter.format(silenceThreshold)
                + " max-artifact-size=" + ByteSizes.format(maxArtifactBytes)
                + " admin-api-key=" + (adminApiKey == null ? "(data dir)" : "(environment, masked)")
                + " webhook-allow=" + webhookAllow;
    }
}
