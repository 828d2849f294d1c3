package io.chargeline.core;

/** The named resource does not exist. */
public class NotFoundException extends ChargelineException {
    public NotFoundException(String message) {
        super("not_found", message, null);
    }

    @Override
    public boolean isClientError() {
        return true;
    }
}
