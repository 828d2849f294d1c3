package io.chargeline.core.webhook;

import io.chargeline.core.InvalidRequestException;

/** A webhook URL leads to an address deliveries may not reach: refused at registration, never retried. */
public final class WebhookTargetRefusedException extends InvalidRequestException {
    public WebhookTargetRefusedException(String reason) {
        super(reason + "; webhooks may not reach loopback, link-local, private, shared, unique-local, multicast "
                + "or this server's own addresses unless the operator allows the range (--webhook-allow)");
    }
}
