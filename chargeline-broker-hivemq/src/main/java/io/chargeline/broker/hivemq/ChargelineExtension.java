package io.chargeline.broker.hivemq;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import io.chargeline.core.ClientKind;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Registers Chargeline's authentication, topic authorisation, telemetry and reply interception, command
 * delivery tracking and presence counting, and captures the services the gateway publishes with.
 */
final class ChargelineExtension implements ExtensionMain {
    private final CertificateAuthenticator authenticator;
    private final ChargerTopicAuthorizer authorizer;
    private final ConnectionInterceptors interceptors;
    private final ConnectedDevices presence;
    private final AtomicReference<ClientService> clients;
    private final AtomicReference<PublishService> publisher;

    /**
     * @param clients receives this broker's client service at start, and {@code publisher} its publish service.
     *     HiveMQ's {@link Services} is static and points at the newest broker in the JVM, so the references are
     *     captured once rather than looked up later.
     */
    ChargelineExtension(CertificateAuthenticator authenticator, ChargerTopicAuthorizer authorizer,
            ConnectionInterceptors interceptors, ConnectedDevices presence, AtomicReference<ClientService> clients,
            AtomicReference<PublishService> publisher) {
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.interceptors = interceptors;
        this.presence = presence;
        this.clients = clients;
        this.publisher = publisher;
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        clients.set(Services.clientService());
        publisher.set(Services.publishService());
        Services.securityRegistry().setAuthenticatorProvider(providerInput -> authenticator);
        Services.securityRegistry().setAuthorizerProvider(providerInput -> authorizer);
        Services.initializerRegistry().setClientInitializer((initializerInput, client) -> {
            if (ClientKind.of(initializerInput.getClientInformation().getClientId()) == ClientKind.OPERATOR) {
                return; // operators publish nothing, so there is no telemetry to intercept
            }
            PendingAcks pending = new PendingAcks();
            client.addPublishInboundInterceptor(interceptors.inbound(pending));
            client.addPubackOutboundInterceptor(interceptors.ackReleaser(pending));
            CommandAcks commands = interceptors.commandAcks();
            client.addPublishOutboundInterceptor(commands);
            client.addPubackInboundInterceptor(commands);
            client.addSubackOutboundInterceptor(commands);
        });
        Services.eventRegistry().setClientLifecycleEventListener(providerInput -> presence);
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {}

    /** Makes the interceptors of one connection; they share that connection's pending acknowledgements. */
    interface ConnectionInterceptors {
        TelemetryInterceptor inbound(PendingAcks pending);

        DurableAckReleaser ackReleaser(PendingAcks pending);

        CommandAcks commandAcks();
    }
}
