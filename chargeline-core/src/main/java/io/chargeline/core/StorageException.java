package io.chargeline.core;

/** A store could not read or durably write. */
public class StorageException extends ChargelineException {
    public StorageException(String message, Throwable cause) {
        super("storage_failure", message, cause);
    }

    @Override
    public boolean isClientError() {
        return false;
    }
}
