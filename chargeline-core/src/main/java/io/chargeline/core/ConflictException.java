package io.chargeline.core;

/** The request clashes with the current state, e.g. a device that already exists. */
public class ConflictException extends ChargelineException {
    public ConflictException(String message) {
        super("conflict", message, null);
    }

    @Override
    public boolean isClientError() {
        return true;
    }
}
