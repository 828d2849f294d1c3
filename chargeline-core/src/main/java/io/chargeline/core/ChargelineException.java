package io.chargeline.core;

/**
 * Root of Chargeline's unchecked errors. Each carries a stable code; adapters map the subclasses
 * in one place (HTTP: problem+json status, MQTT: reason codes).
 */
public abstract class ChargelineException extends RuntimeException {
    private final String code;

    protected ChargelineException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** True if the caller sent something wrong; false if the server failed. */
    public abstract boolean isClientError();
}
