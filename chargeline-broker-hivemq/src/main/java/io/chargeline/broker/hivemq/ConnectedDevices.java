package io.chargeline.broker.hivemq;

import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationFailedInput;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counts authenticated connections (a session takeover adds one and removes one, so the count stays right). */
final class ConnectedDevices implements ClientLifecycleEventListener {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectedDevices.class);

    private final AtomicInteger connected;

    ConnectedDevices(AtomicInteger connected) {
        this.connected = connected;
    }

    @Override
    public void onMqttConnectionStart(ConnectionStartInput input) {}

    @Override
    public void onAuthenticationSuccessful(AuthenticationSuccessfulInput input) {
        connected.incrementAndGet();
        LOG.debug("{} connected", input.getClientInformation().getClientId());
    }

    @Override
    public void onAuthenticationFailedDisconnect(AuthenticationFailedInput input) {
        // never counted as connected
    }

    @Override
    public void onDisconnect(DisconnectEventInput input) {
        connected.decrementAndGet();
        LOG.debug("{} disconnected", input.getClientInformation().getClientId());
    }
}
