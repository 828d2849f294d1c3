package io.chargeline.http;

/**
 * @param bindAddress interface to bind; loopback by default
 * @param port HTTP port (0 picks a free one)
 * @param maxRequestBytes larger request bodies are refused with 413
 */
public record HttpSettings(String bindAddress, int port, long maxRequestBytes) {
    /** Room for a command with the largest payload (64 KiB) and its envelope. */
    public static final long DEFAULT_MAX_REQUEST_BYTES = 128 * 1024;

    public HttpSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("http port must be 0-65535, was " + port);
        }
    }
}
