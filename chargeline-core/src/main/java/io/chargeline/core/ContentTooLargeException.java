package io.chargeline.core;

/** A request body or upload larger than allowed (HTTP 413). */
public class ContentTooLargeException extends ChargelineException {
    public ContentTooLargeException(String message) {
        super("content_too_large", message, null);
    }

    @Override
    public boolean isClientError() {
        return true;
    }
}
