package io.chargeline.broker.hivemq;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;

/** Registers Chargeline's authentication, topic authorisation, telemetry interception and presence counting. */
final class ChargelineExtension implements ExtensionMain {
    private final CertificateAuthenticator authenticator;
    private final ChargerTopicAuthorizer authorizer;
    private final TelemetryInterceptor interceptor;
    private final ConnectedDevices presence;

    ChargelineExtension(CertificateAuthenticator authenticator, ChargerTopicAuthorizer authorizer,
            TelemetryInterceptor interceptor, ConnectedDevices presence) {
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.interceptor = interceptor;
        this.presence = presence;
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        Services.securityRegistry().setAuthenticatorProvider(providerInput -> authenticator);
        Services.securityRegistry().setAuthorizerProvider(providerInput -> authorizer);
        Services.initializerRegistry().setClientInitializer(
                (initializerInput, client) -> client.addPublishInboundInterceptor(interceptor));
        Services.eventRegistry().setClientLifecycleEventListener(providerInput -> presence);
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {}
}
