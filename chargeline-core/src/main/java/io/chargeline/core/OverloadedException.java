package io.chargeline.core;

/** The ingest pipeline is full and could not take the message within the allowed wait. */
public class OverloadedException extends ChargelineException {
    public OverloadedException(String message) {
        super("overloaded", message, null);
    }

    @Override
    public boolean isClientError() {
        return false;
    }
}
