package io.chargeline.tools.bench;

import java.time.Duration;

/**
 * One ingest load: {@code devices} connections, each keeping {@code inflight} publishes outstanding, for
 * {@code warmup} (not measured) then {@code duration}.
 */
public record LoadSettings(int devices, Duration duration, Duration warmup, int qos, int inflight, int payloadBytes) {
    public LoadSettings {
        if (devices < 1) {
            throw new IllegalArgumentException("--devices must be at least 1");
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("--duration must be positive");
        }
        if (qos != 0 && qos != 1) {
            throw new IllegalArgumentException("--qos must be 0 or 1");
        }
        if (inflight < 1 || inflight > 64) {
            throw new IllegalArgumentException("--inflight must be 1-64 (the server's receive maximum is 64)");
        }
        if (payloadBytes < 100 || payloadBytes > 128 * 1024) {
            throw new IllegalArgumentException("--payload-bytes must be 100 to 131072");
        }
    }
}
