package io.chargeline.core;

/** The caller is known but may not do this, e.g. a certificate that is not a charger's current one. */
public class ForbiddenException extends ChargelineException {
    public ForbiddenException(String message) {
        super("forbidden", message, null);
    }

    @Override
    public boolean isClientError() {
        return true;
    }
}
