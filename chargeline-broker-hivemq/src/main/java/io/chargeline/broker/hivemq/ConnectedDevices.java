package io.chargeline.broker.hivemq;

import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationFailedInput;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ClientInitiatedDisconnectInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionLostInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ServerInitiatedDisconnectInput;
import com.hivemq.extension.sdk.api.packets.general.DisconnectedReasonCode;
import io.chargeline.core.ClientKind;
import io.chargeline.core.PresenceListener;
import io.chargeline.core.PresenceListener.DisconnectReason;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts authenticated charger connections (a session takeover adds one and removes one, so the count stays right)
 * and reports each connect and disconnect, with its reason, to presence.
 */
final class ConnectedDevices implements ClientLifecycleEventListener {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectedDevices.class);

    private final AtomicInteger connected;
    private final PresenceListener presence;
    private final Set<String> revoking;
    private final Clock clock;

    /** @param revoking chargers the server is disconnecting because their certificate was revoked */
    ConnectedDevices(AtomicInteger connected, PresenceListener presence, Set<String> revoking, Clock clock) {
        this.connected = connected;
        this.presence = presence;
        this.revoking = revoking;
        this.clock = clock;
    }

    @Override
    public void onMqttConnectionStart(ConnectionStartInput input) {}

    @Override
    public void onAuthenticationSuccessful(AuthenticationSuccessfulInput input) {
        String chargerId = input.getClientInformation().getClientId();
        if (isOperator(chargerId)) {
            LOG.info("{} connected", chargerId);
            return;
        }
        connected.incrementAndGet();
        presence.connected(chargerId, clock.instant());
        LOG.debug("{} connected", chargerId);
    }

    @Override
    public void onAuthenticationFailedDisconnect(AuthenticationFailedInput input) {
        // never counted as connected
    }

    @Override
    public void onClientInitiatedDisconnect(ClientInitiatedDisconnectInput input) {
        ended(input, DisconnectReason.CLIENT_DISCONNECT);
    }

    @Override
    public void onConnectionLost(ConnectionLostInput input) {
        ended(input, DisconnectReason.CONNECTION_LOST);
    }

    @Override
    public void onServerInitiatedDisconnect(ServerInitiatedDisconnectInput input) {
        String chargerId = input.getClientInformation().getClientId();
        if (isOperator(chargerId)) {
            revoking.remove(chargerId);
            ended(input, DisconnectReason.SERVER_DISCONNECT);
            return;
        }
        DisconnectedReasonCode code = input.getReasonCode().orElse(null);
        DisconnectReason reason;
        if (code == DisconnectedReasonCode.SESSION_TAKEN_OVER) {
            reason = DisconnectReason.TAKEN_OVER;
        } else if (code == DisconnectedReasonCode.KEEP_ALIVE_TIMEOUT) {
            reason = DisconnectReason.KEEP_ALIVE_TIMEOUT;
        } else if (revoking.remove(chargerId)) {
            reason = DisconnectReason.REVOKED;
        } else {
            reason = DisconnectReason.SERVER_DISCONNECT;
        }
        ended(input, reason);
    }

    @Override
    public void onDisconnect(DisconnectEventInput input) {
        ended(input, DisconnectReason.SERVER_DISCONNECT); // only reached for kinds the broker adds later
    }

    /** Operator clients are neither chargers nor counted: they have no presence. */
    private static boolean isOperator(String clientId) {
        return ClientKind.of(clientId) == ClientKind.OPERATOR;
    }

    private void ended(DisconnectEventInput input, DisconnectReason reason) {
        String chargerId = input.getClientInformation().getClientId();
        if (isOperator(chargerId)) {
            LOG.info("{} disconnected", chargerId);
            return;
        }
        connected.decrementAndGet();
        presence.disconnected(chargerId, clock.instant(), reason);
        LOG.debug("{} disconnected ({})", chargerId, reason);
    }
}
