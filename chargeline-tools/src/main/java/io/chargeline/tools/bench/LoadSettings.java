package io.chargeline.tools.bench;

import java.time.Duration;

/**
 * One ingest load: {@code devices} connections for {@code warmup} (not measured) then {@code duration}. With
 * {@code ratePerSecond} 0 the load is closed-loop: each connection keeps {@code inflight} publishes
 * outstanding, so the server sets the pace (maximum throughput). Otherwise publishes are sent at that total
 * rate, spread over the connections, each still capped at {@code inflight} outstanding (latency at a load).
 */
public record LoadSettings(
        int devices, Duration duration, Duration warmup, int qos, int inflight, int payloadBytes, int ratePerSecond) {

    public LoadSettings(int devices, Duration duration, Duration warmup, int qos, int inflight, int payloadBytes) {
        this(devices, duration, warmup, qos, inflight, payloadBytes, 0);
    }

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
        if (ratePerSecond < 0) {
            throw new IllegalArgumentException("--rate must be 0 (as fast as acknowledged) or positive");
        }
        if (payloadBytes < 100 || payloadBytes > 128 * 1024) {
            throw new IllegalArgumentException("--payload-bytes must be 100 to 131072");
        }
    }
}
