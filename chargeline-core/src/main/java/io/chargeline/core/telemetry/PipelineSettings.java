package io.chargeline.core.telemetry;

/**
 * Bounds of the ingest pipeline.
 *
 * @param queueCapacity messages that may wait for a commit
 * @param queueBytes payload bytes that may wait for a commit (keeps memory bounded with large payloads)
 * @param maxBatch most messages in one group commit
 */
public record PipelineSettings(int queueCapacity, long queueBytes, int maxBatch) {
    public static final PipelineSettings DEFAULTS = new PipelineSettings(20_000, 64L * 1024 * 1024, 2_000);

    public PipelineSettings {
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be at least 1");
        }
        if (queueBytes < TelemetryValidator.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("queueBytes must hold at least one maximal payload");
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1");
        }
    }
}
