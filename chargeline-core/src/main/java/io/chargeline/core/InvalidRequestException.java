package io.chargeline.core;

/** The caller sent a value that cannot be accepted. */
public class InvalidRequestException extends ChargelineException {
    public InvalidRequestException(String message) {
        super("invalid_request", message, null);
    }

    @Override
    public boolean isClientError() {
        return true;
    }
}
